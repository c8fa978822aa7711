/**
 * The ovs-hwol agent: wires the OVSDB client, the port-table derivation and the control socket.
 *
 *   ReliableSession --connections--> OvsdbClient --updates$--> derivePortTable --> ports/show
 *                                                                                -> port log lines
 *   ControlServer: agent/show, ports/show, log/set
 *
 * Contract: `start()` resolves once the control socket listens (the database may still be
 * unreachable: the agent keeps retrying and says so in agent/show and the log); `stop()` closes
 * everything it opened and is idempotent. Nothing here throws on bad data from OVSDB.
 */
import type { Subscription } from 'rxjs';
import { packageVersion } from '../cli/version';
import { ControlServer, logSetHandler } from '../control';
import type { AgentShowResult, PortsShowResult } from '../control';
import type { Logger } from '../log';
import { OvsdbClient } from '../ovsdb/client';
import type { ClientState } from '../ovsdb/client-state';
import { ReliableSession } from '../ovsdb/reliable-session';
import { derivePortTable, logPortTransitions } from '../ports';
import type { PortTable } from '../ports';
import type { AgentOptions } from './options';

/** The Interface columns the agent monitors. */
export const INTERFACE_COLUMNS = ['name', 'type', 'options', 'ofport_request', 'ofport'];

export class Agent {
  private readonly startedAt = Date.now();
  private readonly session: ReliableSession;
  private readonly client: OvsdbClient;
  private readonly control: ControlServer;
  private readonly subscriptions: Subscription[] = [];
  private table: PortTable | undefined;
  private dbState: ClientState;
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
  }

  /** Starts the control socket, then the OVSDB client. */
  async start(): Promise<void> {
    if (this.running) return;
    const table$ = derivePortTable(this.client.updates$, { maxHwPorts: this.options.maxHwPorts, offloadTypes: this.options.offloadTypes });
    this.subscriptions.push(
      table$.subscribe({
        next: (t) => (this.table = t),
        error: (err: unknown) => this.logger.error(`port table derivation failed: ${String(err)}`),
      }),
      logPortTransitions(table$, this.logger.child({ component: 'ports' })),
      this.client.state$.subscribe((s) => (this.dbState = s)),
    );
    await this.control.start();
    this.running = true;
    this.client.start();
    this.logger.info(`ovs-hwol-agent ${packageVersion()} started: db ${this.options.db}, control socket ${this.options.ctlSocket}, backend ${this.backendName()}`);
  }

  /** Stops the OVSDB client and the control socket. Idempotent. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.client.stop();
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    await this.control.stop();
    this.logger.info('ovs-hwol-agent stopped');
  }

  private backendName(): string {
    return this.options.backend.kind === 'soft' ? `soft:${this.options.backend.profile}` : 'dpdk';
  }

  /** The agent/show result. */
  show(): AgentShowResult {
    const db = this.dbState;
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
    };
  }

  /** The ports/show result: every Interface row and hw_local_port_map. */
  portsShow(): PortsShowResult {
    const table = this.table;
    if (!table) return { ports: [], hwLocalPortMap: {} };
    return { ports: table.ports.map((p) => ({ ...p })), hwLocalPortMap: { ...table.hwLocalPortMap } };
  }
}
