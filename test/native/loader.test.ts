import test from 'ava';
import { DpdkError, RteFlowError } from '../../src/native/errors';
import { loadAddon, NativeLoadError, EXPECTED_ABI_VERSION } from '../../src/native/loader';

test('the compiled addon loads and reports the expected ABI', (t) => {
  const addon = loadAddon();
  t.is(addon.abiVersion(), EXPECTED_ABI_VERSION);
  const info = addon.buildInfo();
  t.is(typeof info.dpdk, 'boolean');
  t.is(info.dpdk, addon.dpdk !== undefined, 'the dpdk functions are there exactly when built with DPDK');
  if (info.dpdk) t.regex(info.dpdkVersion ?? '', /^DPDK \d+\.\d+/);
  else t.is(info.dpdkVersion, null);
});

test('a missing addon is a NativeLoadError naming the path', (t) => {
  const err = t.throws(() => loadAddon('/nonexistent/ovs_hwol.node'), { instanceOf: NativeLoadError });
  t.regex(err?.message ?? '', /\/nonexistent\/ovs_hwol\.node/);
});

test('an addon built for another ABI is refused', (t) => {
  const err = t.throws(() => loadAddon('x', () => ({ abiVersion: () => EXPECTED_ABI_VERSION + 1 })), { instanceOf: NativeLoadError });
  t.regex(err?.message ?? '', /ABI/);
});

test('an addon without abiVersion() is refused', (t) => {
  t.throws(() => loadAddon('x', () => ({})), { instanceOf: NativeLoadError, message: /abiVersion/ });
});

test('the loader hands the addon its error classes', (t) => {
  const received: unknown[] = [];
  loadAddon('x', () => ({ abiVersion: () => EXPECTED_ABI_VERSION, setErrorClasses: (...classes: unknown[]) => received.push(...classes) }));
  t.deepEqual(received, [RteFlowError, DpdkError]);
});

/** The smallest profile the native SoftNic constructor takes: one port, one rule, no items or actions. */
const MINIMAL_PROFILE = {
  name: 't',
  ports: 1,
  queues: 1,
  maxRules: 1,
  maxMark: 1,
  priorities: 1,
  groups: 1,
  egress: false,
  transfer: false,
  maskPolicy: 'any',
  markNeedsQueue: false,
  items: {},
  actions: [],
};

test('native errors arrive as the registered class', (t) => {
  const addon = loadAddon();
  const nic = new addon.SoftNic(MINIMAL_PROFILE);
  const err = t.throws(() => nic.flush(3), { instanceOf: RteFlowError });
  t.is(err?.errnoName, 'ENODEV');
  t.is(err?.type, 'UNSPECIFIED');
  nic.close();
  t.throws(() => nic.flush(0), { message: /closed/ });
});

test('the native SoftNic constructor names what is wrong with a profile', (t) => {
  const addon = loadAddon();
  const base = MINIMAL_PROFILE;
  t.throws(() => new addon.SoftNic(undefined as never), { instanceOf: TypeError, message: /profile: must be an object/ });
  t.throws(() => new addon.SoftNic({ ...base, ports: 0 }), { instanceOf: TypeError, message: /ports/ });
  t.throws(() => new addon.SoftNic({ ...base, maskPolicy: 'some' }), { instanceOf: TypeError, message: /maskPolicy/ });
  t.throws(() => new addon.SoftNic({ ...base, items: { IPV5: '*' } }), { instanceOf: TypeError, message: /IPV5/ });
  t.throws(() => new addon.SoftNic({ ...base, items: { IPV4: ['ttl', 'hops'] } }), { instanceOf: TypeError, message: /IPV4 has no field "hops"/ });
  t.throws(() => new addon.SoftNic({ ...base, actions: ['JUMP'] }), { instanceOf: TypeError, message: /JUMP/ });
});
