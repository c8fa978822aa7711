/**
 * Software statistics on a NIC without COUNT (DESIGN.md §1): the datapath counts the frames that
 * reach it with a mark; frames a DROP rule drops never reach it, so such a flow counts nothing.
 */
import test from 'ava';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine } from '../../src/offload';
import { portMap, udpMatch, udpMatchFrame } from './helpers';

const MARKED = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const DROPPED = '2de117b4-df58-4ca7-a3da-f84eb3479ea0';

test('nocount: marked frames are counted in software, frames dropped on the NIC by nobody', (t) => {
  const nic = new SoftNicBackend('nocount');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }), now: () => 5000 });
  engine.put([{ ufid: MARKED, match: udpMatch(0), actions: '2' }, { ufid: DROPPED, match: udpMatch(1), actions: 'drop' }]);
  t.deepEqual([engine.get(MARKED).variant, engine.get(DROPPED).variant], ['plain', 'plain']);
  const a = udpMatchFrame(0, 30);
  const inj = engine.inject(1, [a, udpMatchFrame(1), a, udpMatchFrame(1)]);
  t.deepEqual(inj.packets.map((p) => [p.ufid, p.outPort]), [[MARKED, 2], [DROPPED, 'drop'], [MARKED, 2], [DROPPED, 'drop']]);
  engine.sweep();
  const marked = engine.get(MARKED).stats;
  t.deepEqual([marked.source, marked.packets, marked.bytes, marked.sw], ['sw', 2, 2 * a.length, { packets: 2, bytes: 2 * a.length }]);
  const dropped = engine.get(DROPPED).stats;
  t.deepEqual([dropped.packets, dropped.bytes, dropped.used], [0, 0, 'never']);
});
