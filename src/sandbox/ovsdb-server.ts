/**
 * Starts real ovsdb-server processes in private directories, for the sandbox and the tests.
 *
 * Every server is a child of this process (not `--detach`ed), so it is stopped by its own pid and
 * never by name, and it is killed if this process exits. A standalone server listens on
 * `unix:DIR/db.sock` (and optionally a TCP port); a cluster has three members on loopback TCP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts, run, waitFor } from './processes';

/** The Open_vSwitch schema shipped by openvswitch-common. */
export const VSWITCH_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Creates a private temporary directory for OVS files. */
export function makeTempDir(prefix = 'ovs-hwol-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs ovs-vsctl against `db` with --no-wait (no ovs-vswitchd) and returns its stdout. */
export function vsctl(db: string, ...args: string[]): Promise<string> {
  return run('ovs-vsctl', [`--db=${db}`, '--no-wait', '--timeout=20', ...args]);
}

/** One running ovsdb-server. */
export class OvsdbServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  /**
   * @param dir private directory holding the database, socket, log and unixctl socket
   * @param dbFile database file
   * @param listen `--remote` values, e.g. `punix:DIR/db.sock`, `ptcp:6640:127.0.0.1`
   * @param remote the client remote for this server (what `--db` takes)
   */
  constructor(
    readonly dir: string,
    readonly dbFile: string,
    readonly listen: readonly string[],
    readonly remote: string,
    readonly name = 'ovsdb-server',
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string {
    return path.join(this.dir, `${this.name}.log`);
  }

  get ctlPath(): string {
    return path.join(this.dir, `${this.name}.ctl`);
  }

  /** Starts the process and waits until it accepts clients. */
  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.name} in ${this.dir} is already running`);
    const args = [this.dbFile, ...this.listen.map((r) => `--remote=${r}`), `--unixctl=${this.ctlPath}`, `--log-file=${this.logFile}`, '--no-chdir', '-vconsole:off'];
    const child = spawn('ovsdb-server', args, { stdio: 'ignore' });
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) => child.once('exit', () => {
      live.delete(child);
      resolve();
    }));
    const spawnError = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`cannot start ovsdb-server: ${err.message} (run "npm install", which installs openvswitch-switch)`))));
    await Promise.race([spawnError, waitFor(`${this.name} to answer on ${this.remote}`, () => run('ovsdb-client', ['--timeout=1', 'list-dbs', this.remote]).then(() => true), 15_000, 20)]);
  }

  /** Stops it with SIGTERM and waits for the exit. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Kills it with SIGKILL (a crash, as far as clients can tell) and waits for the exit. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Stops the server and removes its directory (tests; the sandbox keeps its files). */
  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs ovs-vsctl against this server. */
  vsctl(...args: string[]): Promise<string> {
    return vsctl(this.remote, ...args);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill(sig);
    await this.exited;
  }
}

export interface StandaloneOptions {
  /** Directory to use; a new temporary one by default. */
  dir?: string;
  /** Also listen on this loopback TCP port. */
  tcpPort?: number;
  /** Run `ovs-vsctl init` after starting (default true). */
  init?: boolean;
}

/** Creates a database from the vswitch schema and starts a standalone server on `unix:DIR/db.sock`. */
export async function startOvsdbServer(options: StandaloneOptions = {}): Promise<OvsdbServer> {
  const dir = options.dir ?? makeTempDir();
  const dbFile = path.join(dir, 'conf.db');
  if (!fs.existsSync(dbFile)) await run('ovsdb-tool', ['create', dbFile, VSWITCH_SCHEMA]);
  const sock = path.join(dir, 'db.sock');
  const listen = [`punix:${sock}`];
  if (options.tcpPort !== undefined) listen.push(`ptcp:${options.tcpPort}:127.0.0.1`);
  const server = new OvsdbServer(dir, dbFile, listen, `unix:${sock}`);
  await server.start();
  if (options.init ?? true) await server.vsctl('init');
  return server;
}

/** A three-member (by default) clustered Open_vSwitch database on loopback. */
export class OvsdbCluster {
  constructor(
    readonly dir: string,
    readonly members: OvsdbServer[],
  ) {}

  /** All client remotes, comma-separated, as `--db` takes them. */
  get remotes(): string {
    return this.members.map((m) => m.remote).join(',');
  }

  /**
   * Runs ovs-vsctl against the members that are running (it finds the leader). ovs-vsctl gives up
   * on a refused connection instead of trying the next remote, so stopped members are left out.
   */
  vsctl(...args: string[]): Promise<string> {
    return vsctl(this.members.filter((m) => m.pid !== undefined).map((m) => m.remote).join(','), '--retry', ...args);
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.stop()));
  }

  /** Stops every member and removes the cluster's directory. */
  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Creates and starts a cluster with `size` members, waits for it to have a leader, runs `init`. */
export async function startOvsdbCluster(size = 3, dir = makeTempDir('ovs-hwol-cluster-')): Promise<OvsdbCluster> {
  const ports = await freePorts(size * 2);
  const raft = (i: number): string => `tcp:127.0.0.1:${ports[2 * i]}`;
  const members: OvsdbServer[] = [];
  for (let i = 0; i < size; i++) {
    const dbFile = path.join(dir, `s${i + 1}.db`);
    if (i === 0) await run('ovsdb-tool', ['create-cluster', dbFile, VSWITCH_SCHEMA, raft(0)]);
    else await run('ovsdb-tool', ['join-cluster', dbFile, 'Open_vSwitch', raft(i), raft(0)]);
    const clientPort = ports[2 * i + 1];
    members.push(new OvsdbServer(dir, dbFile, [`ptcp:${clientPort}:127.0.0.1`], `tcp:127.0.0.1:${clientPort}`, `s${i + 1}`));
  }
  // Members other than the first only become usable once they have joined; start them together.
  await Promise.all(members.map((m) => m.start()));
  const cluster = new OvsdbCluster(dir, members);
  // A member whose first join attempt came too early retries seconds later: wait until every member
  // has joined, or killing one of them could leave the others without a majority.
  for (const m of members) {
    await waitFor(`${m.name} to join the cluster`, () => run('ovs-appctl', ['-t', m.ctlPath, 'cluster/status', 'Open_vSwitch']).then((out) => /Status: cluster member/.test(out)), 30_000, 100);
  }
  await waitFor('the cluster to accept a write', () => cluster.vsctl('init').then(() => true), 30_000, 100);
  return cluster;
}
