/**
 * FlowDiffer against OVS 3.1 dumps (test/fixtures/ovs-3.1, `dpctl/dump-flows -m --no-names`):
 * what counts as a change (match, actions) and what does not (statistics, timers, flags, threads).
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FlowDiffer } from '../../src/mirror';

const DIR = path.resolve(__dirname, '../../../test/fixtures/ovs-3.1');
const DUMP = fs.readFileSync(path.join(DIR, 'megaflows-dump-m-nonames.txt'), 'utf8');
const LINES = DUMP.split('\n').filter((l) => l.startsWith('ufid:'));

function parts(line: string): { ufid: string; match: string; actions: string } {
  const m = /^ufid:([0-9a-f-]{36}), (.*?), packets:.*?, actions:(.*?)(?:, dp-extra-info:.*)?$/.exec(line);
  if (!m) throw new Error(`fixture line not understood: ${line}`);
  return { ufid: m[1], match: m[2], actions: m[3] };
}

/** The line with other statistics, timer, flags and dp-extra-info (what changes on every dump). */
function restat(line: string, n: number): string {
  return line
    .replace(/packets:\d+/, `packets:${n * 7}`)
    .replace(/bytes:\d+/, `bytes:${n * 700}`)
    .replace(/used:(never|[\d.]+s)/, `used:${n}.${n}0${n}s`)
    .replace(/, flags:[^,]*/, '')
    .replace(/, dp:ovs/, ', flags:SFP., dp:ovs')
    .replace(/miniflow_bits\(\d+,\d+\)/, `miniflow_bits(${n},${n})`);
}

test('the first dump adds every flow, with its match and actions exactly as OVS wrote them', (t) => {
  const d = new FlowDiffer();
  const r = d.diff(DUMP);
  t.is(r.added.length, 47);
  t.is(r.flows, 47);
  t.deepEqual(r.modified, []);
  t.deepEqual(r.deleted, []);
  t.deepEqual(r.problems, []);
  t.deepEqual(r.added, LINES.map(parts));
  t.is(d.size, 47);
});

test('the same dump, or one with other statistics, timers and flags, changes nothing', (t) => {
  const d = new FlowDiffer();
  d.diff(DUMP);
  const same = d.diff(DUMP);
  t.deepEqual([same.added.length, same.modified.length, same.deleted.length, same.flows], [0, 0, 0, 47]);
  for (let n = 1; n <= 3; n++) {
    const text = ['flow-dump from the main thread:', ...LINES.map((l) => restat(l, n)), ''].join('\n');
    t.not(text, DUMP);
    const r = d.diff(text);
    t.deepEqual([r.added.length, r.modified.length, r.deleted.length, r.problems.length, r.flows], [0, 0, 0, 0, 47], `round ${n}`);
  }
});

test('a changed action list or match is a modify; a missing line a delete; a new line an add', (t) => {
  const d = new FlowDiffer();
  d.diff(DUMP);
  const lines = [...LINES];
  const a = parts(lines[3]);
  lines[3] = lines[3].replace(`actions:${a.actions}`, 'actions:drop');
  const b = parts(lines[5]);
  lines[5] = lines[5].replace('recirc_id(0)', 'recirc_id(0x7)');
  const gone = parts(lines.pop()!);
  const fresh = lines[0].replace(/^ufid:[0-9a-f]{8}/, 'ufid:00000000');
  lines.push(fresh);
  const r = d.diff(lines.join('\n'));
  t.deepEqual(r.added, [parts(fresh)]);
  t.deepEqual(r.modified, [{ ...a, actions: 'drop' }, { ...b, match: b.match.replace('recirc_id(0)', 'recirc_id(0x7)') }]);
  t.deepEqual(r.deleted, [gone.ufid]);
  // And the table follows: the same text again is no change.
  const again = d.diff(lines.join('\n'));
  t.deepEqual([again.added.length, again.modified.length, again.deleted.length], [0, 0, 0]);
});

test('an action list that only grows at its end is a modify, not a match of the old prefix', (t) => {
  const d = new FlowDiffer();
  const line = LINES.find((l) => / actions:\d+, dp-extra-info/.test(l))!;
  d.diff(line);
  const longer = line.replace(/ actions:(\d+),/, ' actions:$1,3,');
  const r = d.diff(longer);
  t.is(r.modified.length, 1);
  t.is(r.modified[0].actions, `${parts(line).actions},3`);
  // Without dp-extra-info (older OVS, or a dump without -m's extra info) as well.
  const bare = longer.replace(/, dp-extra-info:.*$/, '');
  t.deepEqual([d.diff(bare).modified.length, d.diff(bare + '\n').modified.length], [0, 0]);
  const shorter = bare.replace(/,3$/, '');
  t.is(d.diff(shorter).modified.length, 1);
});

test('a flow dumped by several threads counts once', (t) => {
  const d = new FlowDiffer();
  const text = ['flow-dump from pmd on cpu core: 0', ...LINES.slice(0, 10), 'flow-dump from pmd on cpu core: 1', ...LINES.slice(5, 10), 'flow-dump from the main thread:', LINES[0]].join('\n');
  const r = d.diff(text);
  t.is(r.added.length, 10);
  t.is(r.flows, 10);
  const again = d.diff(text);
  t.deepEqual([again.added.length, again.deleted.length, again.flows], [0, 0, 10]);
});

test('lines that are not flow lines are reported with their number and skipped; a known flow on one is kept', (t) => {
  const d = new FlowDiffer();
  d.diff(LINES.slice(0, 3).join('\n'));
  const broken = LINES[1].replace(', packets:', ', pockets:');
  const text = ['', 'flow-dump from the main thread:', LINES[0], broken, 'recirc_id(0),in_port(1) 2', 'ufid:not-a-uuid, in_port(1), actions:2', LINES[2], '   '].join('\n');
  const r = d.diff(text);
  t.deepEqual(r.problems.map((p) => [p.line, p.reason]), [
    [4, 'expected ", packets:" after the match and then ", actions:"'],
    [5, 'no "ufid:" at the start of the line'],
    [6, 'the ufid is not a UUID followed by ","'],
  ]);
  t.is(r.problems[1].text, 'recirc_id(0),in_port(1) 2');
  t.deepEqual([r.added.length, r.modified.length, r.deleted.length], [0, 0, 0]);
  t.is(d.size, 3);
});

test('an empty dump deletes everything; clear() and forget() empty the table', (t) => {
  const d = new FlowDiffer();
  d.diff(DUMP);
  const r = d.diff('');
  t.is(r.deleted.length, 47);
  t.deepEqual(new Set(r.deleted), new Set(LINES.map((l) => parts(l).ufid)));
  t.is(d.size, 0);
  d.diff(DUMP);
  d.forget(parts(LINES[0]).ufid);
  t.deepEqual(d.diff(DUMP).added.map((f) => f.ufid), [parts(LINES[0]).ufid]);
  t.is(d.clear().length, 47);
  t.is(d.size, 0);
});

test('upper-case ufids are read as lower case (the engine keys flows by lower-case ufid)', (t) => {
  const d = new FlowDiffer();
  const line = LINES[0].replace(/^ufid:([0-9a-f-]{36})/, (_, u: string) => `ufid:${u.toUpperCase()}`);
  t.is(d.diff(line).added[0].ufid, parts(LINES[0]).ufid);
  t.is(d.diff(LINES[0]).flows, 1);
  t.is(d.diff(LINES[0]).modified.length, 0);
});
