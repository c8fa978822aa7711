import test from 'ava';
import { loadAddon, NativeLoadError, EXPECTED_ABI_VERSION } from '../src/native/loader';

test('the compiled addon loads and reports the expected ABI', (t) => {
  const addon = loadAddon();
  t.is(addon.abiVersion(), EXPECTED_ABI_VERSION);
});

test('a missing addon is a NativeLoadError naming the path', (t) => {
  const err = t.throws(() => loadAddon('/nonexistent/ovs_hwol.node'), { instanceOf: NativeLoadError });
  t.regex(err?.message ?? '', /\/nonexistent\/ovs_hwol\.node/);
});

test('an addon built for another ABI is refused', (t) => {
  const err = t.throws(() => loadAddon('x', () => ({ abiVersion: () => EXPECTED_ABI_VERSION + 1 })), { instanceOf: NativeLoadError });
  t.regex(err?.message ?? '', /ABI/);
});
