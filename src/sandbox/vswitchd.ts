/**
 * A real ovs-vswitchd with the userspace (netdev) datapath and dummy ports, next to a private
 * ovsdb-server, for tests, benchmarks and the sandbox (DESIGN.md §4).
 *
 * Everything lives in one directory: the database, the sockets (`db.sock`, `ovs-vswitchd.ctl`,
 * `BRIDGE.mgmt`), the logs and the pidfiles; OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR point there so
 * nothing touches /var/run/openvswitch. ovs-vswitchd is a child of this process (not
 * `--detach`ed): it is stopped by its own pid, never by name, and killed if this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startOvsdbServer, makeTempDir, type OvsdbServer } from './ovsdb-server';
import { run, waitFor } from './processes';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port to create on the bridge. */
export interface VswitchdPort {
  name: string;
  /** OpenFlow port number (ofport_request); dummy ports also get it as their odp port number. */
  ofport: number;
  /** Interface type; `dummy` by default. Tunnel types (vxlan, geneve, gre) take `options`. */
  type?: string;
  options?: Record<string, string>;
}

export interface VswitchdOptions {
  /** Bridge name (default `br0`). */
  bridge?: string;
  /** Datapath flow idle time before OVS removes a flow, ms (other_config:max-idle; default 60000). */
  maxIdleMs?: number;
  /** How long to wait for the daemon to come up (default 20000 ms). */
  startTimeoutMs?: number;
}

/** Thrown when ovs-vswitchd cannot be started or exits early. */
export class VswitchdError extends Error {
  override readonly name = 'VswitchdError';
}

/** One running ovs-vswitchd and its ovsdb-server. */
export class Vswitchd {
  private exited: Promise<void>;

  private constructor(
    readonly dir: string,
    readonly db: OvsdbServer,
    readonly bridge: string,
    private child: ChildProcess | undefined,
    /** Remove `dir` on {@link stop} (it was made by {@link start}). */
    private readonly ownsDir: boolean,
    /** The ports given to {@link start}, which a (re)start waits for. */
    private readonly ports: readonly VswitchdPort[] = [],
  ) {
    this.exited = child ? new Promise((resolve) => child.once('exit', () => resolve())) : Promise.resolve();
  }

  /**
   * Starts ovsdb-server and ovs-vswitchd in `dir` (a new temporary directory when undefined, which
   * {@link stop} removes) with one netdev bridge holding `ports`, and waits until the datapath
   * shows every dummy port.
   * @throws VswitchdError when the daemon does not come up (its log is quoted).
   */
  static async start(dir: string | undefined, ports: readonly VswitchdPort[], options: VswitchdOptions = {}): Promise<Vswitchd> {
    const d = dir ?? makeTempDir('ovs-hwol-vswitchd-');
    const bridge = options.bridge ?? 'br0';
    const db = await startOvsdbServer({ dir: d });
    try {
      const args = ['add-br', bridge, '--', 'set', 'bridge', bridge, 'datapath_type=netdev',
        '--', 'set', 'Open_vSwitch', '.', `other_config:max-idle=${options.maxIdleMs ?? 60_000}`];
      for (const p of ports) {
        args.push('--', 'add-port', bridge, p.name, '--', 'set', 'interface', p.name, `type=${p.type ?? 'dummy'}`, `ofport_request=${p.ofport}`);
        for (const [k, v] of Object.entries(p.options ?? {})) args.push(`options:${k}=${v}`);
      }
      await db.vsctl(...args);
    } catch (err) {
      await db.stop();
      throw err;
    }
    const vs = new Vswitchd(d, db, bridge, undefined, dir === undefined, ports);
    try {
      await vs.spawnDaemon(options.startTimeoutMs ?? 20_000);
    } catch (err) {
      await vs.stop();
      throw err;
    }
    return vs;
  }

  /**
   * Starts ovs-vswitchd (again) on this directory's database and waits until the datapath shows every
   * dummy port. OpenFlow rules do not survive a restart (they are not in OVSDB): add them again.
   * @throws VswitchdError when it is already running or does not come up (its log is quoted).
   */
  async restart(timeoutMs = 20_000): Promise<void> {
    if (this.child) throw new VswitchdError('ovs-vswitchd is already running');
    const onBridge = new Set((await this.vsctl('list-ports', this.bridge)).split('\n').filter((l) => l !== ''));
    await this.spawnDaemon(timeoutMs, onBridge);
  }

  /**
   * Kills ovs-vswitchd (by its pid, SIGKILL by default: no cleanup, as in a crash) and waits for it
   * to exit; the ovsdb-server keeps running, so {@link restart} can start it again.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await this.exited;
  }

  /** Spawns the daemon and waits for the dummy ports (those in `only`, when given) in dpctl/show. */
  private async spawnDaemon(timeoutMs: number, only?: ReadonlySet<string>): Promise<void> {
    const d = this.dir;
    const child = spawn('ovs-vswitchd', [
      this.db.remote, '--enable-dummy=override', '--disable-system', `--unixctl=${path.join(d, 'ovs-vswitchd.ctl')}`,
      `--pidfile=${path.join(d, 'ovs-vswitchd.pid')}`, `--log-file=${path.join(d, 'ovs-vswitchd.log')}`, '-vconsole:off', '--no-chdir',
    ], { stdio: 'ignore', env: vswitchdEnv(d) });
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let early: Error | undefined;
    child.once('error', (err) => (early = new VswitchdError(`cannot start ovs-vswitchd: ${err.message} (run "npm install", which installs openvswitch-switch)`)));
    child.once('exit', (code, sig) => (early ??= new VswitchdError(`ovs-vswitchd exited early (${sig ?? `code ${code}`}): ${this.logTail()}`)));
    try {
      await waitFor('ovs-vswitchd to show every port', async () => {
        if (early) throw early;
        if (!fs.existsSync(this.mgmtPath)) return false;
        const show = await this.dpctlShow();
        return this.ports.every((p) => (p.type ?? 'dummy') !== 'dummy' || (only !== undefined && !only.has(p.name)) || show.includes(` ${p.name} (`));
      }, timeoutMs, 50);
    } catch (err) {
      throw early ?? new VswitchdError(`${err instanceof Error ? err.message : String(err)}; log: ${this.logTail()}`);
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get ctlPath(): string {
    return path.join(this.dir, 'ovs-vswitchd.ctl');
  }

  /** The bridge's OpenFlow management socket (for ovs-ofctl as `unix:PATH`). */
  get mgmtPath(): string {
    return path.join(this.dir, `${this.bridge}.mgmt`);
  }

  get logFile(): string {
    return path.join(this.dir, 'ovs-vswitchd.log');
  }

  /** Runs `ovs-appctl -t DIR/ovs-vswitchd.ctl ARGS...` and returns its stdout. */
  appctl(...args: string[]): Promise<string> {
    return run('ovs-appctl', ['-t', this.ctlPath, ...args], { env: vswitchdEnv(this.dir) });
  }

  /** Runs `ovs-ofctl -O OpenFlow15 COMMAND unix:MGMT ARGS...`. */
  ofctl(command: string, ...args: string[]): Promise<string> {
    return run('ovs-ofctl', ['-O', 'OpenFlow15', command, `unix:${this.mgmtPath}`, ...args], { env: vswitchdEnv(this.dir) });
  }

  /** Installs OpenFlow rules (ovs-ofctl add-flows syntax, one per entry). */
  async addFlows(flows: readonly string[]): Promise<void> {
    const file = path.join(this.dir, `flows-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
    fs.writeFileSync(file, flows.join('\n') + '\n');
    await this.ofctl('add-flows', file);
  }

  /** Injects one packet on a dummy port: `netdev-dummy/receive PORT SPEC` (SPEC in ODP flow syntax or hex). */
  async receive(port: string, packetSpec: string): Promise<void> {
    await this.appctl('netdev-dummy/receive', port, packetSpec);
  }

  /** The flow lines of `dpctl/dump-flows -m` (`names`: ports by name, as OVS prints by default). */
  async dumpFlows(names = true): Promise<string[]> {
    const out = await this.appctl('dpctl/dump-flows', '-m', ...(names ? [] : ['--no-names']));
    return out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('flow-dump from'));
  }

  /** The text of `dpctl/show`. */
  dpctlShow(): Promise<string> {
    return this.appctl('dpctl/show');
  }

  /** Runs ovs-vsctl against this instance's database. */
  vsctl(...args: string[]): Promise<string> {
    return this.db.vsctl(...args);
  }

  /** The end of the daemon's log, for error messages. */
  logTail(chars = 2000): string {
    try {
      const text = fs.readFileSync(this.logFile, 'utf8');
      return text.slice(-chars);
    } catch {
      return '(no log)';
    }
  }

  /**
   * Stops ovs-vswitchd (SIGTERM, then SIGKILL after 5 s) by its pid, then the ovsdb-server, and
   * removes the directory if {@link start} made it.
   */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    await this.db.stop();
    if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The environment for OVS programs working on `dir` (run, db and log directories). */
export function vswitchdEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir };
}
