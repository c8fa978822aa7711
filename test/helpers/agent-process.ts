/**
 * Runs the real `bin/ovs-hwol-agent` as a child process, as an operator would, with a private control
 * socket, and talks to it with ControlClient. Log lines (stderr) are collected for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ControlClient } from '../../src/control/client';
import type { PortsShowResult, AgentShowResult } from '../../src/control/api-types';
import { waitFor } from '../../src/sandbox/processes';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const AGENT_BIN = path.join(ROOT, 'bin', 'ovs-hwol-agent');
export const CTL_BIN = path.join(ROOT, 'bin', 'ovs-hwol-ctl');

export class AgentProcess {
  readonly logs: string[] = [];
  private client: ControlClient | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly ctlSocket: string,
  ) {
    let partial = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.logs.push(...lines);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts the agent against `db` with its control socket in `dir`, and waits until it answers. */
  static async start(db: string, dir: string, extraArgs: string[] = []): Promise<AgentProcess> {
    const ctlSocket = path.join(dir, 'ovs-hwol-agent.ctl');
    const child = spawn(process.execPath, [AGENT_BIN, '--db', db, '--ctl-socket', ctlSocket, '--log-level', 'debug', ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    const agent = new AgentProcess(child, ctlSocket);
    agent.client = await waitFor('the agent control socket', async () => {
      if (child.exitCode !== null) throw new Error(`agent exited with ${child.exitCode}: ${agent.logs.join('\n')}`);
      return ControlClient.connect(ctlSocket);
    }, 15_000, 25);
    return agent;
  }

  call<T>(method: string, params?: unknown): Promise<T> {
    if (!this.client) throw new Error('agent not started');
    return this.client.call<T>(method, params);
  }

  ports(): Promise<PortsShowResult> {
    return this.call<PortsShowResult>('ports/show');
  }

  show(): Promise<AgentShowResult> {
    return this.call<AgentShowResult>('agent/show');
  }

  /** Waits until ports/show satisfies `predicate`; returns that result. */
  waitForPorts(what: string, predicate: (r: PortsShowResult) => boolean, timeoutMs = 10_000): Promise<PortsShowResult> {
    return waitFor(what, async () => {
      const r = await this.ports();
      return predicate(r) ? r : undefined;
    }, timeoutMs, 20);
  }

  /** Waits for a log line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return waitFor(`a log line matching ${pattern}`, () => this.logs.find((l) => pattern.test(l)), timeoutMs, 20);
  }

  /** The agent's log so far, for t.log when a test fails. */
  logText(): string {
    return this.logs.join('\n');
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  async stop(): Promise<number | null> {
    this.client?.close();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
