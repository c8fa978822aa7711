/**
 * VswitchdMirror against a scripted unixctl server (a unix socket speaking OVS's JSON-RPC) and a real
 * offload engine on the soft NIC: what a healthy ovs-vswitchd does not send (lines the engine cannot
 * read, error answers), and how the mirror reports it.
 */
import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { VswitchdMirror } from '../../src/mirror';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine, type EnginePorts } from '../../src/offload';
import { makeTempDir } from '../../src/sandbox/ovsdb-server';
import { waitFor } from '../../src/sandbox/processes';

const PORTS: EnginePorts = { hwPortIdOf: (odp) => (odp === 1 ? 0 : odp === 2 ? 1 : undefined), port: () => undefined, hwLocalPortMap: { 0: 1, 1: 2 } };
const SHOW = 'netdev@ovs-netdev:\n  lookups: hit:0 missed:0 lost:0\n  flows: 3\n  port 0: ovs-netdev (dummy-internal)\n  port 1: p1 (dummy)\n  port 2: p2 (dummy)\n';
const line = (u: string, match: string, actions: string): string =>
  `ufid:${u}, ${match}, packets:0, bytes:0, used:never, dp:ovs, actions:${actions}, dp-extra-info:miniflow_bits(4,1)`;
const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';
const GOOD1 = 'recirc_id(0),in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1,frag=no)';
const GOOD2 = 'recirc_id(0),in_port(1),eth_type(0x0800),ipv4(src=10.0.0.2,frag=no)';

interface Script {
  show: string;
  dump: string | { error: string };
  /** dpctl/dump-flows requests answered so far (counted by the fake daemon). */
  dumps?: number;
  /** Answer dpctl/dump-flows this many ms after the request (a daemon with many flows). */
  dumpDelayMs?: number;
  /** When each dpctl/show request arrived (performance.now()), i.e. when each poll began. */
  pollStarts?: number[];
}

async function fakeDaemon(sock: string, script: Script): Promise<net.Server> {
  const server = net.createServer((c) => {
    let buf = '';
    c.on('data', (b) => {
      buf += b.toString('utf8');
      // Requests from the client are small and come one JSON object at a time.
      let end: number;
      while ((end = buf.indexOf('}')) >= 0) {
        const req = JSON.parse(buf.slice(0, end + 1)) as { method: string; id: number };
        buf = buf.slice(end + 1);
        if (req.method === 'dpctl/show') (script.pollStarts ??= []).push(performance.now());
        else script.dumps = (script.dumps ?? 0) + 1;
        const answer = req.method === 'dpctl/show' ? script.show : script.dump;
        const reply = JSON.stringify(typeof answer === 'string' ? { result: answer, error: null, id: req.id } : { result: null, error: answer.error, id: req.id });
        if (req.method !== 'dpctl/show' && script.dumpDelayMs) setTimeout(() => c.write(reply), script.dumpDelayMs);
        else c.write(reply);
      }
    });
  });
  await new Promise<void>((r) => server.listen(sock, r));
  return server;
}

function capture(): { logger: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _e, done): void { lines.push(chunk.toString('utf8').trim()); done(); } });
  const logger = winston.createLogger({ level: 'debug', format: winston.format.printf((i) => `${i.level} ${String(i.message)}`), transports: [new winston.transports.Stream({ stream })] });
  return { logger, lines };
}

/** A scripted daemon, an engine on a soft NIC and a mirror of the daemon polling every 20 ms (not started). */
async function mirrorOfScript(script: Script, onPorts?: (p: ReadonlyMap<string, number>) => void) {
  const dir = makeTempDir('ovs-hwol-mirror-');
  const sock = path.join(dir, 'fake.ctl');
  const server = await fakeDaemon(sock, script);
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: PORTS });
  const { logger, lines } = capture();
  const mirror = new VswitchdMirror({ ctlPath: sock, target: engine, pollIntervalMs: 20, logger, onPorts });
  const close = (): void => {
    mirror.stop();
    engine.close();
    nic.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { engine, mirror, lines, close };
}

test('a megaflow the engine cannot read stays out (reported once); the rest go in; a later good version goes in', async (t) => {
  const script: Script = { show: SHOW, dump: [line(U1, GOOD1, '2'), line(U2, 'recirc_id(0),in_port(1),bogus_key(7)', '2'), line(U3, GOOD2, 'drop')].join('\n') + '\n' };
  const ports: Array<Map<string, number>> = [];
  const { engine, mirror, lines, close } = await mirrorOfScript(script, (p) => ports.push(new Map(p)));
  try {
    mirror.start();
    await waitFor('three polls', () => mirror.status().polls >= 3, 5000, 5);
    t.deepEqual(engine.dump().map((f) => [f.ufid, f.state]), [[U1, 'offloaded'], [U3, 'offloaded']]);
    const s = mirror.status();
    t.is(s.rejected, 1);
    t.is(s.flows, 3);
    t.is(s.state, 'connected');
    t.deepEqual(ports, [new Map([['p1', 1], ['p2', 2]])], 'the port map is handed on once, without port 0');
    const warned = lines.filter((l) => l.startsWith('warn') && l.includes(U2));
    t.is(warned.length, 1, lines.join('\n'));
    t.regex(warned[0], /left in ovs-vswitchd only: the engine cannot read it/);

    script.dump = [line(U1, GOOD1, '2'), line(U2, 'recirc_id(0),in_port(2),eth_type(0x0800),ipv4(src=10.0.0.9,frag=no)', '1'), line(U3, GOOD2, 'drop')].join('\n');
    await waitFor('the fixed flow in the engine', () => engine.dump().some((f) => f.ufid === U2 && f.state === 'offloaded'), 5000, 5);
    t.is(mirror.status().rejected, 0);
    t.deepEqual(mirror.status().changes, { added: 3, modified: 1, deleted: 0 });
  } finally {
    close();
  }
});

test('an error answer to dump-flows is shown in agent/show\'s lastError and logged once, and the flows stay', async (t) => {
  const script: Script = { show: SHOW, dump: line(U1, GOOD1, '2') + '\n' };
  const { engine, mirror, lines, close } = await mirrorOfScript(script);
  try {
    mirror.start();
    await waitFor('the flow', () => engine.size === 1, 5000, 5);
    script.dump = { error: 'ovs-vswitchd: datapath not found (No such device)\n' };
    await waitFor('lastError', () => mirror.status().lastError !== null, 5000, 5);
    const polls = mirror.status().polls;
    const answered = script.dumps ?? 0;
    await waitFor('three more failed polls', () => (script.dumps ?? 0) >= answered + 3, 5000, 5);
    t.is(mirror.status().polls, polls, 'failed polls do not count');
    t.regex(mirror.status().lastError ?? '', /"dpctl\/dump-flows" failed: ovs-vswitchd: datapath not found \(No such device\)$/);
    t.is(lines.filter((l) => l.startsWith('warn') && l.includes('datapath not found')).length, 1, lines.join('\n'));
    t.is(engine.size, 1, 'a failed dump deletes nothing');
    script.dump = '';
    await waitFor('the empty dump applied', () => engine.size === 0, 5000, 5);
    t.is(mirror.status().lastError, null);
  } finally {
    close();
  }
});

test('a poll longer than the period is followed by a pause as long as itself, not by the next poll at once', async (t) => {
  const script: Script = { show: SHOW, dump: line(U1, GOOD1, '2') + '\n', dumpDelayMs: 120 };
  const { mirror, close } = await mirrorOfScript(script);
  try {
    mirror.start();
    await waitFor('four polls begun', () => (script.pollStarts?.length ?? 0) >= 4, 10_000, 5);
    const starts = script.pollStarts ?? [];
    // Each poll takes at least the 120 ms dump (period 20 ms), so poll starts are at least 2 x 120 ms apart.
    for (let i = 1; i < starts.length; i++) t.true(starts[i] - starts[i - 1] >= 235, `polls ${i - 1} and ${i} began ${(starts[i] - starts[i - 1]).toFixed(0)} ms apart`);
  } finally {
    close();
  }
});
