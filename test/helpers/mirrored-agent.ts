/**
 * A real ovs-vswitchd (dummy ports p1..p4 with hw-port-ids 0..3 on br0, userspace datapath) and an
 * in-process Agent that mirrors it (`--flow-source vswitchd:CTL --offload-types dummy`), with the
 * agent's log lines collected for assertions and the engine and soft NIC at hand.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { Agent } from '../../src/agent/agent';
import { parseAgentOptions } from '../../src/agent/options';
import type { FlowView, OffloadEngine } from '../../src/offload';
import { waitFor } from '../../src/sandbox/processes';
import { Vswitchd, type VswitchdPort } from '../../src/sandbox/vswitchd';
import type { MirrorStatus } from '../../src/mirror';

/** p1..p4, OpenFlow ports 1..4 (also their odp port numbers), hw-port-id n-1. */
export const MIRROR_PORTS: VswitchdPort[] = [1, 2, 3, 4].map((n) => ({ name: `p${n}`, ofport: n, options: { 'hw-port-id': String(n - 1) } }));

export class MirroredAgent {
  private constructor(
    readonly vs: Vswitchd,
    readonly agent: Agent,
    /** The agent's log lines so far: `LEVEL [component] message`. */
    readonly logs: string[],
  ) {}

  /** Starts ovs-vswitchd, then the agent; waits until the agent has every port ready with its odp number. */
  static async start(opts: { pollIntervalMs?: number; maxIdleMs?: number } = {}): Promise<MirroredAgent> {
    const vs = await Vswitchd.start(undefined, MIRROR_PORTS, { maxIdleMs: opts.maxIdleMs });
    const options = parseAgentOptions([
      '--db', vs.db.remote, '--ctl-socket', path.join(vs.dir, 'ovs-hwol-agent.ctl'), '--backend', 'soft:full',
      '--flow-source', `vswitchd:${vs.ctlPath}`, '--offload-types', 'dummy', '--flow-poll-interval', String(opts.pollIntervalMs ?? 100),
    ]);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done): void {
        lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
        done();
      },
    });
    const logger = winston.createLogger({
      level: 'debug',
      levels: { error: 0, warn: 1, info: 2, debug: 3 },
      format: winston.format.printf((i) => `${i.level} [${typeof i.component === 'string' ? i.component : ''}] ${String(i.message)}`),
      transports: [new winston.transports.Stream({ stream: sink })],
    });
    const agent = new Agent(options, logger);
    const m = new MirroredAgent(vs, agent, lines);
    try {
      await agent.start();
      await waitFor('p1..p4 ready with their datapath port numbers', () => {
        const ports = agent.portsShow().ports;
        return MIRROR_PORTS.every((p) => ports.some((q) => q.name === p.name && q.state === 'ready' && q.odpPort === p.ofport));
      }, 15_000, 20);
    } catch (err) {
      await m.stop();
      throw err;
    }
    return m;
  }

  get engine(): OffloadEngine {
    const e = this.agent.offloadEngine;
    if (!e) throw new Error('the agent is not running');
    return e;
  }

  mirror(): MirrorStatus {
    const s = this.agent.show().mirror;
    if (!s) throw new Error('agent/show has no mirror status');
    return s;
  }

  /** The ufids of OVS's megaflows now, and each line's match and actions text. */
  async ovsFlows(): Promise<Map<string, { match: string; actions: string }>> {
    const out = new Map<string, { match: string; actions: string }>();
    for (const line of await this.vs.dumpFlows(false)) {
      const m = /^ufid:([0-9a-f-]{36}), (.*?), packets:.*?, actions:(.*?)(?:, dp-extra-info:.*)?$/.exec(line);
      if (!m) throw new Error(`unexpected dump line: ${line}`);
      out.set(m[1], { match: m[2], actions: m[3] });
    }
    return out;
  }

  /** The engine's flows by ufid. */
  flows(): Map<string, FlowView> {
    return new Map(this.engine.dump('all').map((f) => [f.ufid, f]));
  }

  /** Rules on the soft NIC, over devices 0..3 (the hw-port-ids of p1..p4). */
  nicRules(): number {
    let n = 0;
    for (let d = 0; d < 4; d++) n += this.engine.backend.ruleCount(d);
    return n;
  }

  /**
   * Waits until the engine's ufids are exactly OVS's (after a poll that saw the current dump), and
   * returns OVS's flows.
   */
  async waitForSync(what: string, predicate: (ovs: Map<string, { match: string; actions: string }>) => boolean = () => true, timeoutMs = 10_000): Promise<Map<string, { match: string; actions: string }>> {
    return waitFor(what, async () => {
      const ovs = await this.ovsFlows();
      if (!predicate(ovs)) return undefined;
      const polls = this.mirror().polls;
      await waitFor('a poll after the dump', () => this.mirror().polls > polls + 1, 5000, 10);
      const again = await this.ovsFlows();
      const mine = this.flows();
      const same = (a: Iterable<string>, b: Set<string>): boolean => [...a].every((u) => b.has(u));
      if (again.size !== ovs.size || !same(ovs.keys(), new Set(again.keys()))) return undefined;
      return mine.size === ovs.size && same(ovs.keys(), new Set(mine.keys())) ? ovs : undefined;
    }, timeoutMs, 50);
  }

  logText(): string {
    return this.logs.join('\n');
  }

  async stop(): Promise<void> {
    try {
      await this.agent.stop();
    } finally {
      await this.vs.stop();
    }
  }
}
