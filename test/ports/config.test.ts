import test from 'ava';
import { DEFAULT_PORTS_CONFIG, PortsConfigError, resolvePortsConfig } from '../../src/ports/index.js';

test('defaults: 64 hw ports, dpdk interfaces', (t) => {
  t.deepEqual(resolvePortsConfig(), { maxHwPorts: 64, offloadTypes: ['dpdk'] });
  t.deepEqual(DEFAULT_PORTS_CONFIG, { maxHwPorts: 64, offloadTypes: ['dpdk'] });
  t.deepEqual(resolvePortsConfig({ offloadTypes: ['dpdk', 'dummy'] }), { maxHwPorts: 64, offloadTypes: ['dpdk', 'dummy'] });
});

test('maxHwPorts must be an integer in 1..0x7FFF', (t) => {
  t.is(resolvePortsConfig({ maxHwPorts: 0x7fff }).maxHwPorts, 0x7fff);
  t.is(resolvePortsConfig({ maxHwPorts: 1 }).maxHwPorts, 1);
  for (const bad of [0, -1, 0x8000, 1.5, NaN]) {
    const err = t.throws(() => resolvePortsConfig({ maxHwPorts: bad }), { instanceOf: PortsConfigError });
    t.regex(err?.message ?? '', /^maxHwPorts must be an integer in 1\.\.32767, got /);
  }
});

test('offloadTypes must be a list of strings', (t) => {
  t.throws(() => resolvePortsConfig({ offloadTypes: 'dpdk' as unknown as string[] }), { instanceOf: PortsConfigError, message: /offloadTypes .* got "dpdk"/ });
  t.throws(() => resolvePortsConfig({ offloadTypes: [1] as unknown as string[] }), { instanceOf: PortsConfigError, message: /offloadTypes/ });
});
