/**
 * The one interface both rte_flow backends implement (soft NIC and DPDK), in the manner of
 * node-serialport's bindings: the conformance suite in test/native/ runs against each of them.
 *
 * Every batch method takes a list and returns one outcome per element, in order; an element fails
 * on its own (with an {@link RteFlowError}) without affecting the others. Only a wrong argument
 * type (TypeError) or a closed backend (Error) is thrown. All calls are synchronous.
 */
import type { RteFlowError } from './errors';
import type { EncodedRules } from './rule-encoder';
import type { RuleSpec } from './rule-spec';

/** A rule installed on a backend: a non-zero 32-bit number, valid until destroyed or flushed. */
export type FlowHandle = number;

/** COUNT action counters. */
export interface FlowCounters {
  hits: number;
  bytes: number;
}

/** Outcome of validate() and destroy() for one element. */
export type Checked = { ok: true } | { ok: false; error: RteFlowError };
/** Outcome of create() for one element. */
export type Created = { ok: true; handle: FlowHandle } | { ok: false; error: RteFlowError };
/** Outcome of query() for one element. */
export type Queried = { ok: true; counters: FlowCounters } | { ok: false; error: RteFlowError };

/** A batch of rules: specs, or a batch already encoded with encodeRules(). */
export type RuleBatch = readonly RuleSpec[] | EncodedRules;

/** A port of the backend. */
export interface PortInfo {
  id: number;
  name: string;
  /** The PMD ("net_null", "net_pcap", ...) or "soft". */
  driver: string;
}

export interface FlowBackend {
  readonly kind: 'soft' | 'dpdk';
  /** "soft:PROFILE" or "dpdk". */
  readonly description: string;
  /** The ports rules can be created on. */
  ports(): PortInfo[];
  /** rte_flow_validate for each rule: whether the device would accept it now. */
  validate(rules: RuleBatch): Checked[];
  /** rte_flow_create for each rule. */
  create(rules: RuleBatch): Created[];
  /**
   * create() without an object per rule, for bulk offload: `handlesOut[i]` receives the handle of
   * rule i, or 0 when it failed; the failures (rule index -> why) are returned, or undefined when
   * every rule was created. Same rules, same device calls, same outcomes as create().
   * @throws RangeError when `handlesOut` holds fewer elements than the batch has rules
   */
  createInto(rules: RuleBatch, handlesOut: Uint32Array): Map<number, RteFlowError> | undefined;
  /** rte_flow_destroy for each handle. */
  destroy(handles: readonly FlowHandle[] | Uint32Array): Checked[];
  /** rte_flow_query of COUNT for each handle; `reset` zeroes the counters after reading them. */
  query(handles: readonly FlowHandle[] | Uint32Array, options?: { reset?: boolean }): Queried[];
  /**
   * query() without an object per rule, for statistics sweeps: `out[2i]` and `out[2i + 1]` receive
   * the hits and bytes of `handles[i]`, or NaN and NaN when that element failed (query() says why).
   * Allocates nothing. Returns the number of failed elements.
   * @throws RangeError when `out` holds fewer than 2 * handles.length elements
   */
  queryInto(handles: Uint32Array, reset: boolean, out: Float64Array): number;
  /** rte_flow_flush: destroys every rule of `port`; returns how many. @throws RteFlowError */
  flush(port: number): number;
  /** Introspection: the number of rules installed on `port`. @throws RteFlowError */
  ruleCount(port: number): number;
  /** Destroys every rule and releases the backend; later calls throw. Idempotent. */
  close(): void;
}
