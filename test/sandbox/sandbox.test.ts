/**
 * `npm run sandbox` as a new user runs it: the process is started, its printed instructions are
 * followed (the commands are taken from what it prints, not rebuilt here), and Ctrl-C stops it.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ControlClient } from '../../src/control';
import type { FlowView } from '../../src/offload';
import { run, waitFor } from '../../src/sandbox/processes';

const MAIN = path.resolve(__dirname, '../../src/sandbox/main.js');

interface Sandbox {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startSandbox(args: string[]): Sandbox {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

/** Stops a sandbox that is still running as Ctrl-C does (so that it stops its daemons), SIGKILL after 15 s. */
async function stopSandbox(sb: Sandbox): Promise<void> {
  if (sb.child.exitCode !== null || sb.child.signalCode !== null) return;
  sb.child.kill('SIGINT');
  const timer = setTimeout(() => sb.child.kill('SIGKILL'), 15_000);
  await sb.exited;
  clearTimeout(timer);
}

/** The command lines of the live processes that name `dir` in their arguments (from /proc). */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The first printed line that contains `needle`, trimmed, without its trailing `# comment`. */
function printedCommand(text: string, needle: string): string {
  const line = text.split('\n').find((l) => l.includes(needle));
  if (line === undefined) throw new Error(`the sandbox printed no line with "${needle}":\n${text}`);
  return line.replace(/\s+#.*$/, '').trim();
}

/** Splits a printed shell command into arguments (words and '...' quoted words). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

test('--help prints the usage and exits 0; an unknown argument exits 2 naming it', async (t) => {
  const help = startSandbox(['--help']);
  t.is(await help.exited, 0);
  t.regex(help.out(), /--with-vswitchd/);
  const bad = startSandbox(['--bogus']);
  t.is(await bad.exited, 2);
  t.regex(bad.out(), /unknown argument --bogus/);
});

test('the plain sandbox: every printed command works in the order printed, and flow/dump says what its comment says', async (t) => {
  const sb = startSandbox([]);
  try {
    await waitFor('the sandbox instructions', () => sb.out().includes('Press Ctrl-C') || sb.child.exitCode !== null, 30_000, 50);
    const text = sb.out();
    const dir = /is running in (\S+)/.exec(text)?.[1] ?? '';
    const block = text.slice(text.indexOf('Try, in another terminal'), text.indexOf('Press Ctrl-C'));
    const lines = block.split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '');
    t.true(lines.length >= 8, block);
    let dumps = 0;
    for (const line of lines) {
      const words = shellWords(line.replace(/\s+#.*$/, ''));
      const expected = /# (offloaded:(?:yes|no))/.exec(line)?.[1];
      if (expected === undefined) {
        await run(words[0], words.slice(1));
        continue;
      }
      // The agent applies OVSDB changes a moment later: the dump says it once it has.
      const out = await waitFor(`${expected} in flow/dump after the commands before it`, async () => {
        const o = await run(words[0], words.slice(1));
        return o.includes(expected) ? o : undefined;
      }, 10_000, 50);
      t.regex(out, new RegExp(`${expected}, dp:${expected.endsWith('yes') ? 'hw' : 'ovs'}, actions:2`));
      dumps++;
    }
    t.is(dumps, 2, 'the printed flow/dump lines say what to expect');
    sb.child.kill('SIGINT');
    t.is(await sb.exited, 0);
    t.deepEqual(processesUsing(dir), [], 'no daemon of the sandbox runs after Ctrl-C');
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    await stopSandbox(sb);
  }
});

test('--with-vswitchd: the printed packet becomes a megaflow that the agent offloads; Ctrl-C stops every daemon', async (t) => {
  const sb = startSandbox(['--with-vswitchd']);
  try {
    await waitFor('the sandbox instructions', () => sb.out().includes('Press Ctrl-C') || sb.child.exitCode !== null, 30_000, 50);
    const text = sb.out();
    t.regex(text, /Press Ctrl-C/, text);
    const dir = /is running in (\S+)/.exec(text)?.[1] ?? '';
    t.true(fs.existsSync(dir), text);

    const receive = shellWords(printedCommand(text, 'netdev-dummy/receive p1'));
    t.is(receive[0], 'ovs-appctl');
    await run(receive[0], receive.slice(1));

    const hwctl = shellWords(printedCommand(text, 'flow/dump'));
    const socket = hwctl[hwctl.indexOf('--ctl-socket') + 1];
    const client = await ControlClient.connect(socket);
    try {
      const flows = await waitFor(
        'an offloaded megaflow from p1',
        async () => {
          const dump = await client.call<{ flows: FlowView[] }>('flow/dump', {});
          return dump.flows.some((f) => f.state === 'offloaded') ? dump.flows : undefined;
        },
        15_000,
        50,
      );
      const dpFlows = await run('ovs-appctl', ['-t', receive[2], 'dpctl/dump-flows', '-m']);
      for (const f of flows) t.true(dpFlows.includes(`ufid:${f.ufid}`), `${f.ufid} is not in OVS's dump:\n${dpFlows}`);
    } finally {
      client.close();
    }

    t.true(processesUsing(dir).length >= 3, 'ovsdb-server, ovs-vswitchd and the agent run in the sandbox directory');
    sb.child.kill('SIGINT');
    t.is(await sb.exited, 0);
    t.regex(sb.out(), /sandbox stopped; its files \(database, logs\) are kept in /);
    t.deepEqual(processesUsing(dir), [], 'no daemon of the sandbox runs after Ctrl-C');
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    await stopSandbox(sb);
  }
});
