import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { checkProfile, listProfiles, loadProfile, ProfileError, type NicProfile } from '../../src/native/profile';

const full = (): NicProfile => structuredClone(loadProfile('full'));

test('the shipped profiles are there and valid', (t) => {
  const names = listProfiles();
  for (const name of ['full', 'xl710', 'nocount', 'nomark']) t.true(names.includes(name), name);
  for (const name of names) t.is(loadProfile(name).name, name);
});

test('the shipped profiles say what the issue asks of them', (t) => {
  const f = loadProfile('full');
  t.is(f.maxRules, 1048576);
  t.true(f.actions.includes('COUNT') && f.actions.includes('MARK'));
  t.is(f.items.PORT, '*');
  const x = loadProfile('xl710');
  t.is(x.maskPolicy, 'exact');
  t.true(x.markNeedsQueue);
  t.false(x.actions.includes('COUNT'));
  t.is(x.maxRules, 8192);
  t.is(x.items.PORT, undefined);
  const nc = loadProfile('nocount');
  t.true(nc.actions.includes('MARK'));
  t.false(nc.actions.includes('COUNT'));
  t.false(loadProfile('nomark').actions.includes('MARK'));
});

test('an unknown profile name lists the known ones', (t) => {
  const err = t.throws(() => loadProfile('fastest'), { instanceOf: ProfileError });
  t.regex(err?.message ?? '', /no soft NIC profile "fastest".*full.*xl710/);
  t.throws(() => loadProfile('../etc'), { instanceOf: ProfileError });
});

test('a profile file is loaded from a path and checked', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwol-profile-'));
  try {
    const file = path.join(dir, 'mine.json');
    fs.writeFileSync(file, JSON.stringify({ ...full(), name: 'mine', maxRules: 10 }));
    t.is(loadProfile(file).maxRules, 10);
    fs.writeFileSync(file, '{ nope');
    t.throws(() => loadProfile(file), { instanceOf: ProfileError, message: /is not JSON/ });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const invalid: Array<[string, (p: Record<string, unknown>) => void, RegExp]> = [
  ['missing property', (p) => delete p.queues, /must have required property 'queues'/],
  ['unknown property', (p) => (p.speed = 100), /unknown property "speed"/],
  ['bad policy', (p) => (p.maskPolicy = 'some'), /maskPolicy must be one of "any", "exact", "prefix"/],
  ['unknown item', (p) => ((p.items as Record<string, unknown>).GRE = '*'), /items has an unknown property "GRE"/],
  ['unknown field', (p) => ((p.items as Record<string, unknown>).IPV4 = ['src', 'hops']), /items\.IPV4/],
  ['unknown action', (p) => (p.actions = ['MARK', 'JUMP']), /actions\.1 must be one of/],
  ['zero ports', (p) => (p.ports = 0), /ports must be >= 1/],
  ['too many rules in all', (p) => ((p.ports = 8), (p.maxRules = 1048576)), /ports x maxRules is 8388608/],
];

for (const [title, mutate, message] of invalid) {
  test(`an invalid profile is refused: ${title}`, (t) => {
    const p = full() as unknown as Record<string, unknown>;
    mutate(p);
    t.throws(() => checkProfile(p, 'test'), { instanceOf: ProfileError, message });
  });
}
