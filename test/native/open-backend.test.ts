import test from 'ava';
import { DpdkError } from '../../src/native/errors';
import { splitEalArgs } from '../../src/native/eal-args';
import { BackendSpecError, openBackend, parseBackendSpec } from '../../src/native/open-backend';
import { ProfileError } from '../../src/native/profile';
import { SoftNicBackend } from '../../src/native/soft-backend';

test('--backend values', (t) => {
  t.deepEqual(parseBackendSpec('soft'), { kind: 'soft', profile: 'full' });
  t.deepEqual(parseBackendSpec('soft:xl710'), { kind: 'soft', profile: 'xl710' });
  t.deepEqual(parseBackendSpec('soft:/etc/nic.json'), { kind: 'soft', profile: '/etc/nic.json' });
  t.deepEqual(parseBackendSpec('dpdk'), { kind: 'dpdk' });
  for (const bad of ['', 'soft:', 'hard', 'dpdk:0', 'SOFT']) t.throws(() => parseBackendSpec(bad), { instanceOf: BackendSpecError, message: /soft, soft:PROFILE or dpdk/ });
});

test('openBackend opens a soft NIC with its profile', (t) => {
  const b = openBackend('soft:nocount');
  try {
    t.true(b instanceof SoftNicBackend);
    t.is(b.description, 'soft:nocount');
    t.is(b.ports().length, 4);
  } finally {
    b.close();
  }
  t.throws(() => openBackend('soft:nosuch'), { instanceOf: ProfileError });
});

test('--dpdk-args are split like a shell splits words', (t) => {
  t.deepEqual(splitEalArgs('  --no-huge -m 512\t--vdev=net_null0 '), ['--no-huge', '-m', '512', '--vdev=net_null0']);
  t.deepEqual(splitEalArgs(`--vdev='net_pcap0,iface=lo' "--file-prefix=a b" x\\ y ""`), ['--vdev=net_pcap0,iface=lo', '--file-prefix=a b', 'x y', '']);
  t.deepEqual(splitEalArgs(`"a\\"b" 'c\\d'`), ['a"b', 'c\\d']);
  t.deepEqual(splitEalArgs(''), []);
  t.throws(() => splitEalArgs(`--vdev='net_null0`), { instanceOf: DpdkError, message: /unterminated ' quote/ });
  t.throws(() => splitEalArgs('-m 512 \\'), { instanceOf: DpdkError, message: /backslash/ });
});
