/**
 * Test helpers for the control socket: temp socket paths, a ControlServer with test handlers on
 * real method names, and a raw line connection that sends arbitrary bytes and reads answer lines.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ControlServer } from '../../src/control/server';
import { ControlError } from '../../src/control/errors';
import { logSetHandler } from '../../src/control/log-set';
import { createLogger, type Logger } from '../../src/log';

/** A new private temp dir (short path: unix socket paths are limited to 107 bytes). */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hwctl-'));
}

/** Leaves a unix socket file at `socketPath` that nobody listens on: a process listens there and exits without closing. */
export function makeStaleSocket(socketPath: string): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => process.exit(0))', socketPath], (err) => {
      if (err) reject(new Error(`cannot make a stale socket: ${err.message}`));
      else if (!fs.lstatSync(socketPath).isSocket()) reject(new Error(`no stale socket at ${socketPath}`));
      else resolve();
    }),
  );
}

export const UFID_CONTROL_ERROR = '00000000-0000-0000-0000-000000000001';
export const UFID_INTERNAL_ERROR = '00000000-0000-0000-0000-000000000002';
export const UFID_WAIT = '00000000-0000-0000-0000-000000000003';
export const UFID_UNSERIALIZABLE = '00000000-0000-0000-0000-000000000004';

export const PORTS_RESULT = {
  ports: [
    { name: 'dpdk0', type: 'dpdk', uuid: '5b2d7c8e-0000-4000-8000-000000000001', odpPort: 1, hwPortId: 0, state: 'ready' },
    { name: 'dpdk1', type: 'dpdk', uuid: '5b2d7c8e-0000-4000-8000-000000000002', odpPort: 2, hwPortId: null, state: 'invalid', reason: 'hw-port-id "abc" is not a base-10 integer' },
    { name: 'vhost9', type: 'dpdkvhostuser', uuid: '5b2d7c8e-0000-4000-8000-000000000003', odpPort: 12, hwPortId: 3, state: 'ready' },
  ],
  hwLocalPortMap: { '3': 12, '0': 1 },
};

export const AGENT_RESULT = {
  version: '0.1.0',
  pid: 4242,
  uptimeSeconds: 3723,
  backend: 'soft',
  profile: 'full',
  flowSource: 'api',
  db: { remote: 'unix:/tmp/x/db.sock', state: 'synced', connected: true, currentRemote: 'unix:/tmp/x/db.sock', clustered: false, txnId: 'f00d' },
};

export interface TestServer {
  server: ControlServer;
  socketPath: string;
  logger: Logger;
  /** Calls of the flow/get handler with UFID_WAIT wait here until release() is called. */
  release(): void;
  /** Number of flow/get UFID_WAIT calls that have started. */
  waiting(): number;
  stop(): Promise<void>;
}

/**
 * Starts a ControlServer on a temp socket with handlers for agent/show, ports/show, log/set,
 * flow/put (echo: {flows: [{ufid, state}]}) and flow/get (by ufid: a ControlError, an internal
 * error, a wait, an unserializable result, else an echo). flow/dump and the rest stay unregistered.
 */
export async function startTestServer(opts: { maxMessageBytes?: number; socketPath?: string } = {}): Promise<TestServer> {
  const socketPath = opts.socketPath ?? path.join(tempDir(), 'agent.ctl');
  const logger = createLogger({ silent: true });
  const server = new ControlServer({ socketPath, maxMessageBytes: opts.maxMessageBytes, logger });
  let releaseAll: () => void = () => undefined;
  let gate = new Promise<void>((r) => (releaseAll = r));
  let waiting = 0;
  server.register('agent/show', () => AGENT_RESULT);
  server.register('ports/show', () => PORTS_RESULT);
  server.register('log/set', logSetHandler(logger));
  server.register('flow/put', (params: { flows: unknown[] }) => ({
    flows: params.flows.map((_f, i) => ({ ufid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, state: 'software', reason: 'test' })),
  }));
  server.register('flow/get', async (params: { ufid: string }) => {
    switch (params.ufid) {
      case UFID_CONTROL_ERROR:
        throw new ControlError(-32001, `no flow with ufid ${params.ufid}`, { ufid: params.ufid });
      case UFID_INTERNAL_ERROR:
        throw new TypeError('cannot read properties of undefined (reading "x")');
      case UFID_WAIT:
        waiting++;
        await gate;
        return { ufid: params.ufid, waited: true };
      case UFID_UNSERIALIZABLE:
        return { ufid: params.ufid, big: BigInt(1) };
      default:
        return { ufid: params.ufid, state: 'offloaded' };
    }
  });
  await server.start();
  return {
    server,
    socketPath,
    logger,
    release: () => {
      releaseAll();
      gate = new Promise<void>((r) => (releaseAll = r));
    },
    waiting: () => waiting,
    stop: () => server.stop(),
  };
}

/** A JSON-RPC answer as the tests look at it. */
export interface Answer {
  jsonrpc?: unknown;
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

/** A raw connection: write any bytes, read the server's lines one by one (parsed as JSON). */
export class RawConnection {
  private buffered = '';
  private readonly lines: string[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffered += text;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.lines.push(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.wake();
      resolve();
    }));
  }

  static open(socketPath: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(socketPath);
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RawConnection(s));
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends one line (adds the newline). */
  send(line: string | object): void {
    this.socket.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  }

  /** The next answer line as a single answer object. */
  async next(timeoutMs = 5000): Promise<Answer> {
    return (await this.nextValue(timeoutMs)) as Answer;
  }

  /** The next answer line as a batch answer. */
  async nextBatch(timeoutMs = 5000): Promise<Answer[]> {
    return (await this.nextValue(timeoutMs)) as Answer[];
  }

  /** The next answer line, parsed; rejects if the connection closes first or after timeoutMs. */
  async nextValue(timeoutMs = 5000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.socket.destroyed && this.lines.length === 0) throw new Error('connection closed with no answer');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return JSON.parse(this.lines.shift() as string);
  }

  /** Number of answer lines received and not yet read. */
  get unread(): number {
    return this.lines.length;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
