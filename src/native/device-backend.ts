/**
 * What the soft and dpdk backends share: the batch operations of {@link FlowBackend}, run on a
 * native rte_flow device through one {@link BatchRunner}. A subclass says how to reach its device
 * (`open()`, which throws once the backend is closed), which ports it has, and how it closes.
 */
import type { Checked, Created, FlowBackend, FlowHandle, PortInfo, Queried, RuleBatch } from './backend';
import { BatchRunner } from './batch-runner';
import type { RteFlowError } from './errors';
import type { NativeFlowDevice } from './loader';

export abstract class DeviceBackend<D extends NativeFlowDevice> implements FlowBackend {
  abstract readonly kind: FlowBackend['kind'];
  abstract readonly description: string;
  private readonly runner = new BatchRunner(() => this.open());

  /** The open device. @throws Error when the backend is closed */
  protected abstract open(): D;
  abstract ports(): PortInfo[];
  abstract close(): void;

  validate(rules: RuleBatch): Checked[] {
    return this.runner.validate(rules);
  }

  create(rules: RuleBatch): Created[] {
    return this.runner.create(rules);
  }

  createInto(rules: RuleBatch, handlesOut: Uint32Array): Map<number, RteFlowError> | undefined {
    return this.runner.createInto(rules, handlesOut);
  }

  destroy(handles: readonly FlowHandle[] | Uint32Array): Checked[] {
    return this.runner.destroy(handles);
  }

  query(handles: readonly FlowHandle[] | Uint32Array, options: { reset?: boolean } = {}): Queried[] {
    return this.runner.query(handles, options.reset ?? false);
  }

  queryInto(handles: Uint32Array, reset: boolean, out: Float64Array): number {
    return this.runner.queryInto(handles, reset, out);
  }

  /** rte_flow_flush of `port`; how many rules it destroyed. */
  flush(port: number): number {
    return this.open().flush(port);
  }

  /** The rules created through this backend on `port`. */
  ruleCount(port: number): number {
    return this.open().ruleCount(port);
  }
}
