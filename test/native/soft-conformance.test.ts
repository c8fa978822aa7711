import { SoftNicBackend } from '../../src/native/soft-backend';
import { testBackend } from './conformance';

testBackend('soft:full', () => new SoftNicBackend('full'), { port: 1, acceptsRules: true });
