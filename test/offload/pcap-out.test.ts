/**
 * packet/inject's capture files (pcapOut): each output port's per-port batch and the misses as pcap
 * files, frames in arrival order; a directory that cannot take them fails the call before any
 * frame is classified or counted.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { InjectError, OffloadEngine, parsePcap } from '../../src/offload';
import { udpMatch, udpMatchFrame } from './helpers';

const UFID_A = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const UFID_B = '2de117b4-df58-4ca7-a3da-f84eb3479ea0';
const UFID_C = '3de117b4-df58-4ca7-a3da-f84eb3479ea0';

/** odp 1, 2, 3 on hw-port-ids 0, 1, 2; flows A (udpMatch 0) -> 2, B (1) -> drop, C (2) -> 3; `profile` nocount: software statistics. */
function setup(t: ExecutionContext, profile = 'nocount'): { engine: OffloadEngine; dir: string } {
  const nic = new SoftNicBackend(profile);
  const ports = { hwPortIdOf: (odp: number) => ({ 1: 0, 2: 1, 3: 2 })[odp], port: () => undefined, hwLocalPortMap: { 0: 1, 1: 2, 2: 3 } };
  const engine = new OffloadEngine({ backend: nic, ports, now: () => 1_700_000_000_123 });
  const outs = engine.put([
    { ufid: UFID_A, match: udpMatch(0), actions: '2' },
    { ufid: UFID_B, match: udpMatch(1), actions: 'drop' },
    { ufid: UFID_C, match: udpMatch(2), actions: '3' },
  ]);
  t.deepEqual(outs.map((o) => o.state), ['offloaded', 'offloaded', 'offloaded']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwpcap-'));
  t.teardown(() => {
    nic.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { engine, dir };
}

/** The frames of a capture file. */
function framesIn(file: string): Buffer[] {
  return parsePcap(fs.readFileSync(file), file).frames.map((f) => Buffer.from(f));
}

test('each output port gets port-N.pcap with its frames in arrival order, the misses miss.pcap; drops nothing', (t) => {
  const { engine, dir } = setup(t);
  // Payload lengths tell apart frames of one flow.
  const a1 = udpMatchFrame(0, 20);
  const a2 = udpMatchFrame(0, 30);
  const b = udpMatchFrame(1);
  const c = udpMatchFrame(2);
  const m1 = udpMatchFrame(9, 21);
  const m2 = udpMatchFrame(8, 22);
  const out = path.join(dir, 'new', 'sub');
  const inj = engine.inject(1, [b, a1, m1, c, a2, m2], out);
  t.deepEqual(inj.packets.map((p) => p.outPort ?? 'miss'), ['drop', 2, 'miss', 3, 2, 'miss']);
  // In the order of the batches: first appearance of each destination.
  t.deepEqual(inj.written, [
    { port: 2, file: path.join(out, 'port-2.pcap'), frames: 2 },
    { port: 'miss', file: path.join(out, 'miss.pcap'), frames: 2 },
    { port: 3, file: path.join(out, 'port-3.pcap'), frames: 1 },
  ]);
  t.deepEqual(framesIn(path.join(out, 'port-2.pcap')), [Buffer.from(a1), Buffer.from(a2)]);
  t.deepEqual(framesIn(path.join(out, 'port-3.pcap')), [Buffer.from(c)]);
  t.deepEqual(framesIn(path.join(out, 'miss.pcap')), [Buffer.from(m1), Buffer.from(m2)]);
  t.deepEqual(fs.readdirSync(out).sort(), ['miss.pcap', 'port-2.pcap', 'port-3.pcap']);
  // The records carry the engine's clock.
  const rec = fs.readFileSync(path.join(out, 'port-3.pcap'));
  t.is(rec.readUInt32LE(24), 1_700_000_000);
  t.is(rec.readUInt32LE(28), 123_000);
});

test('a later call replaces the files it writes and leaves the others', (t) => {
  const { engine, dir } = setup(t);
  engine.inject(1, [udpMatchFrame(0), udpMatchFrame(9)], dir);
  const again = engine.inject(1, [udpMatchFrame(7, 40)], dir);
  t.deepEqual(again.written, [{ port: 'miss', file: path.join(dir, 'miss.pcap'), frames: 1 }]);
  t.deepEqual(framesIn(path.join(dir, 'miss.pcap')), [Buffer.from(udpMatchFrame(7, 40))]);
  t.deepEqual(framesIn(path.join(dir, 'port-2.pcap')), [Buffer.from(udpMatchFrame(0))]);
  // Only drops: nothing to write, and the answer says so with an empty list.
  t.deepEqual(engine.inject(1, [udpMatchFrame(1)], dir).written, []);
});

test('without pcapOut nothing is written and the answer has no written list', (t) => {
  const { engine, dir } = setup(t);
  const inj = engine.inject(1, [udpMatchFrame(0)]);
  t.is(inj.written, undefined);
  t.deepEqual(fs.readdirSync(dir), []);
});

test('a pcapOut that cannot hold files fails before any frame is counted', (t) => {
  const { engine, dir } = setup(t);
  const file = path.join(dir, 'plain-file');
  fs.writeFileSync(file, 'x');
  const notDir = t.throws(() => engine.inject(1, [udpMatchFrame(0)], file), { instanceOf: InjectError, message: `cannot write pcap files in ${file}: it is not a directory` });
  t.is(notDir?.pcapOut, file);
  t.throws(() => engine.inject(1, [udpMatchFrame(0)], path.join(file, 'below')), { instanceOf: InjectError, message: /cannot write pcap files in .*plain-file\/below: ENOTDIR/ });
  // procfs: Node's recursive mkdir never returns there; ours fails at the first level.
  t.throws(() => engine.inject(1, [udpMatchFrame(0)], '/proc/ovs-hwol-nope/caps'), { instanceOf: InjectError, message: 'cannot write pcap files in /proc/ovs-hwol-nope/caps: ENOENT' });
  // Software statistics (nocount profile): untouched by the refused calls.
  t.is(engine.get(UFID_A).stats.packets, 0);
  engine.inject(1, [udpMatchFrame(0)], dir);
  t.is(engine.get(UFID_A).stats.packets, 1);
});
