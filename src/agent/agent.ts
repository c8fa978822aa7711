/**
 * The ovs-hwol agent: wires the OVSDB client, the port-table derivation and the control socket.
 *
 *   ReliableSession --connections--> OvsdbClient --updates$--> derivePortTable --> ports/show
 *                                                                                -> port log lines
 *                                                                                -> OffloadEngine.setPorts
 *   FlowBackend (--backend, --dpdk-args) <-- OffloadEngine <-- flow/put, flow/del, flow/get, flow/dump,
 *                                                             flow/flush, offload/stats, packet/inject
 *   a statistics sweep every --stats-interval ms
 *   --flow-source vswitchd:CTL_PATH: VswitchdMirror --dpctl/show ports--> derivePortTable (odpPorts$)
 *                                    VswitchdMirror --dump-flows diff--> OffloadEngine.put / del
 *   ControlServer: agent/show, ports/show, log/set and the offload methods
 *
 * Contract: `start()` opens the backend (rejecting when it cannot: a bad profile, EAL failure),
 * then resolves once the control socket listens (the database may still be unreachable: the agent
 * keeps retrying and says so in agent/show and the log); `stop()` destroys the rules it created,
 * closes the backend and everything else it opened, and is idempotent. Nothing here throws on bad data from OVSDB.
 */
import { Subject, type Subscription } from 'rxjs';
import { packageVersion } from '../cli/version';
import { ControlError, ControlServer, logSetHandler } from '../control';
import type { FlowBackend } from '../native/backend';
import { openBackend } from '../native/open-backend';
import { OffloadEngine, registerOffloadMethods } from '../offload';
import type { AgentShowResult, PortsShowResult } from '../control';
import type { Logger } from '../log';
import { OvsdbClient } from '../ovsdb/client';
import type { ClientState } from '../ovsdb/client-state';
import { ReliableSession } from '../ovsdb/reliable-session';
import { derivePortTable, logPortTransitions } from '../ports';
import type { PortTable } from '../ports';
import { VswitchdMirror } from '../mirror';
import { agentMetricFamilies } from './agent-metrics';
import { MetricsServer } from './metrics';
import type { AgentOptions } from './options';

/** The Interface columns the agent monitors. */
export const INTERFACE_COLUMNS = ['name', 'type', 'options', 'ofport_request', 'ofport', 'status'];

export class Agent {
  private readonly startedAt = Date.now();
  private readonly session: ReliableSession;
  private readonly client: OvsdbClient;
  private readonly control: ControlServer;
  private readonly subscriptions: Subscription[] = [];
  private table: PortTable | undefined;
  private backend: FlowBackend | undefined;
  private engine: OffloadEngine | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private dbState: ClientState;
  private metrics: MetricsServer | undefined;
  private mirror: VswitchdMirror | undefined;
  private running = false;

  constructor(
    private readonly options: AgentOptions,
    private readonly logger: Logger,
  ) {
    this.session = new ReliableSession(options.db, { tls: options.tls, logger: logger.child({ component: 'ovsdb' }) });
    this.client = new OvsdbClient({ session: this.session, tables: { Interface: INTERFACE_COLUMNS }, logger });
    this.dbState = this.client.state;
    this.control = new ControlServer({ socketPath: options.ctlSocket, logger });
    this.control.register('agent/show', () => this.show());
    this.control.register('ports/show', () => this.portsShow());
    this.control.register('log/set', logSetHandler(logger));
    const source = this.options.flowSource;
    registerOffloadMethods(
      this.control,
      () => {
        if (!this.engine) throw new ControlError(-32003, 'the offload engine is not running (the agent is starting or stopping)', { engine: 'not running' });
        return this.engine;
      },
      { readOnlyFlowSource: source.kind === 'vswitchd' ? `vswitchd:${source.ctlPath}` : undefined },
    );
  }

  /** Starts the control socket, then the OVSDB client. */
  async start(): Promise<void> {
    if (this.running) return;
    this.backend = openBackend(this.backendName(), { dpdkArgs: this.options.dpdkArgs });
    const engine = new OffloadEngine({ backend: this.backend, logger: this.logger.child({ component: 'offload' }) });
    this.engine = engine;
    const source = this.options.flowSource;
    const odpPorts = source.kind === 'vswitchd' ? new Subject<ReadonlyMap<string, number>>() : undefined;
    const table$ = derivePortTable(this.client.updates$, { maxHwPorts: this.options.maxHwPorts, offloadTypes: this.options.offloadTypes }, odpPorts);
    this.subscriptions.push(
      table$.subscribe({
        next: (t) => {
          this.table = t;
          try {
            engine.setPorts(t);
          } catch (err) {
            this.logger.error(`re-offload after a port change failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        },
        error: (err: unknown) => this.logger.error(`port table derivation failed: ${String(err)}`),
      }),
      logPortTransitions(table$, this.logger.child({ component: 'ports' })),
      this.client.state$.subscribe((s) => (this.dbState = s)),
    );
    try {
      await this.control.start();
    } catch (err) {
      for (const sub of this.subscriptions.splice(0)) sub.unsubscribe();
      this.closeEngine();
      throw err;
    }
    if (this.options.metrics) {
      const { host, port } = this.options.metrics;
      const metrics = new MetricsServer(host, port, () => agentMetricFamilies({
        uptimeSeconds: () => Math.round((Date.now() - this.startedAt) / 1000),
        db: () => this.dbState,
        ports: () => this.table,
        offload: () => this.engine?.stats(),
      }));
      try {
        await metrics.start();
      } catch (err) {
        await this.control.stop();
        for (const sub of this.subscriptions.splice(0)) sub.unsubscribe();
        this.closeEngine();
        throw new Error(`--metrics ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.metrics = metrics;
    }
    this.statsTimer = setInterval(() => {
      try {
        engine.sweep();
      } catch (err) {
        this.logger.error(`statistics sweep failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, this.options.statsIntervalMs);
    this.statsTimer.unref();
    this.running = true;
    this.client.start();
    if (source.kind === 'vswitchd' && odpPorts) {
      this.mirror = new VswitchdMirror({
        ctlPath: source.ctlPath,
        target: engine,
        onPorts: (ports) => odpPorts.next(ports),
        pollIntervalMs: this.options.flowPollIntervalMs,
        logger: this.logger.child({ component: 'mirror' }),
      });
      this.mirror.start();
    }
    this.logger.info(`ovs-hwol-agent ${packageVersion()} started: db ${this.options.db}, control socket ${this.options.ctlSocket}, backend ${this.backendName()}`);
  }

  /** Stops the OVSDB client and the control socket. Idempotent. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.mirror?.stop();
    this.mirror = undefined;
    this.client.stop();
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    clearInterval(this.statsTimer);
    await this.metrics?.stop();
    this.metrics = undefined;
    await this.control.stop();
    this.closeEngine();
    this.logger.info('ovs-hwol-agent stopped');
  }

  /** Destroys the engine's rules and closes the backend. */
  private closeEngine(): void {
    try {
      this.engine?.close();
    } finally {
      this.engine = undefined;
      this.backend?.close();
      this.backend = undefined;
    }
  }

  private backendName(): string {
    return this.options.backend.kind === 'soft' ? `soft:${this.options.backend.profile}` : 'dpdk';
  }

  /** The mirror of ovs-vswitchd (--flow-source vswitchd:), while the agent runs. */
  get vswitchdMirror(): VswitchdMirror | undefined {
    return this.mirror;
  }

  /** The offload engine, while the agent runs. */
  get offloadEngine(): OffloadEngine | undefined {
    return this.engine;
  }

  /** The agent/show result; with --flow-source vswitchd:, `mirror` says how the mirror is doing. */
  show(): AgentShowResult {
    const db = this.dbState;
    const mirror = this.mirror?.status();
    return {
      version: packageVersion(),
      pid: process.pid,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      backend: this.options.backend.kind,
      profile: this.options.backend.kind === 'soft' ? this.options.backend.profile : null,
      flowSource: this.options.flowSource.kind === 'api' ? 'api' : `vswitchd:${this.options.flowSource.ctlPath}`,
      ctlSocket: this.options.ctlSocket,
      db: {
        remote: this.options.db,
        state: db.state,
        connected: db.connected,
        currentRemote: db.remote ?? null,
        clustered: db.clustered ?? false,
        leader: db.leader ?? null,
        txnId: db.lastTxnId ?? null,
        monitorMethod: db.monitorMethod ?? null,
        error: db.error ?? null,
      },
      ...(mirror ? { mirror } : {}),
    };
  }

  /** The ports/show result: every Interface row and hw_local_port_map. */
  portsShow(): PortsShowResult {
    const table = this.table;
    if (!table) return { ports: [], hwLocalPortMap: {} };
    return { ports: table.ports.map((p) => ({ ...p })), hwLocalPortMap: { ...table.hwLocalPortMap } };
  }
}
