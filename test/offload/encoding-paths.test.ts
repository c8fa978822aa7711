/**
 * The put path's two rule encodings give the same engine, on every soft NIC profile: `direct`
 * (rules written straight from the translation, the default) and `spec` (RuleSpec objects through
 * the encoder, the reference). For the fixture megaflows, generated offloadable-shaped flows and
 * UDP flows, put in batches, modified and deleted: the same outcomes (states, reasons, flow_ids,
 * marks), the same flow views (variants, devices, testpmd rules), the same statistics, the same
 * rules on the NIC (the same packets hit them, with the same marks).
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine, type FlowInput, type OffloadStats } from '../../src/offload';
import { offloadableActions, offloadableMatch } from '../flows/translate/offloadable-arbitraries';
import { assertNicMatchesTable, portMap, udpMatch, udpMatchFrame } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/ovs-3.1');
const PROFILES = ['full', 'xl710', 'nocount', 'nomark'];

function ufid(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

function fixtureLines(): string[] {
  const lines: string[] = [];
  for (const file of ['megaflows-dump-m-nonames.txt', 'megaflows-tunnel-dump-m.txt']) {
    for (const line of fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n')) if (line.startsWith('ufid:')) lines.push(line);
  }
  return lines;
}

/** The flows of the test: fixture lines, generated flows and UDP flows, each with a distinct ufid. */
function inputs(): FlowInput[] {
  const out: FlowInput[] = fixtureLines();
  const generated = fc.sample(fc.tuple(offloadableMatch, offloadableActions), { numRuns: 400, seed: 5 });
  generated.forEach(([match, actions], i) => out.push({ ufid: ufid(0x100000 + i), match, actions }));
  for (let i = 0; i < 300; i++) out.push({ ufid: ufid(i), match: udpMatch(i), actions: i % 3 === 0 ? 'drop' : i % 3 === 1 ? '2' : '7' });
  return out;
}

function statsWithoutTimes(s: OffloadStats): Omit<OffloadStats, 'latency' | 'statsSweeps'> {
  const { latency: _l, statsSweeps: _s, ...rest } = s;
  return rest;
}

function both(t: ExecutionContext, direct: OffloadEngine, spec: OffloadEngine, what: string, f: (e: OffloadEngine) => unknown): void {
  t.deepEqual(f(direct), f(spec), what);
}

for (const profile of PROFILES) {
  test(`profile ${profile}: direct and RuleSpec encodings give the same engine`, (t) => {
    const ports = portMap({ 1: 0, 2: 1, 3: 2, 4: 3 });
    const nicA = new SoftNicBackend(profile);
    const nicB = new SoftNicBackend(profile);
    const direct = new OffloadEngine({ backend: nicA, ports, now: () => 1000 });
    const spec = new OffloadEngine({ backend: nicB, ports, now: () => 1000, ruleEncoding: 'spec' });
    try {
      const flows = inputs();
      for (let i = 0; i < flows.length; i += 64) {
        const part = flows.slice(i, i + 64);
        both(t, direct, spec, `put of flows ${i}..`, (e) => e.put(part));
      }
      const outcomes = direct.dump();
      t.true(outcomes.filter((f) => f.state === 'offloaded').length > 100, 'many flows offloaded');
      t.true(outcomes.filter((f) => f.state === 'software').length > 20, 'some flows stay in software');
      // Modify: new actions for a sixth of the UDP flows (drops become marks); delete a third.
      const modified: FlowInput[] = [];
      for (let i = 0; i < 300; i += 6) modified.push({ ufid: ufid(i), match: udpMatch(i), actions: '3' });
      both(t, direct, spec, 'modify', (e) => e.put(modified));
      const gone = Array.from({ length: 100 }, (_, k) => ufid(3 * k + 1));
      both(t, direct, spec, 'delete', (e) => e.del(gone));
      // Views (with the testpmd rule), dumps and statistics.
      both(t, direct, spec, 'dump', (e) => e.dump());
      for (const f of direct.dump()) both(t, direct, spec, `flow/get ${f.ufid}`, (e) => e.get(f.ufid));
      both(t, direct, spec, 'offload/stats', (e) => statsWithoutTimes(e.stats()));
      // The same rules on the NIC: the same packets hit, with the same marks.
      const frames = Array.from({ length: 300 }, (_, i) => udpMatchFrame(i));
      both(t, direct, spec, 'packet/inject', (e) => e.inject(1, frames));
      t.true(direct.inject(1, frames).hits >= 50, 'packets hit offloaded rules');
      assertNicMatchesTable(t, direct, nicA);
      assertNicMatchesTable(t, spec, nicB);
      for (let d = 0; d < nicA.profile.ports; d++) t.is(nicA.ruleCount(d), nicB.ruleCount(d));
    } finally {
      direct.close();
      spec.close();
      nicA.close();
      nicB.close();
    }
  });
}
