/**
 * Runs the {@link FlowBackend} batch methods over a native device: encodes specs, calls the addon
 * once per batch, and merges encoding failures and native failures into one outcome per element.
 */
import type { Checked, Created, FlowHandle, Queried, RuleBatch } from './backend';
import { RteFlowError } from './errors';
import type { NativeFailures, NativeFlowDevice } from './loader';
import { EncodedRules, encodeRules } from './rule-encoder';

const EINVAL = 22;

function encoded(rules: RuleBatch): EncodedRules {
  return rules instanceof EncodedRules ? rules : encodeRules(rules);
}

/** Converts handles to a Uint32Array; elements that are not valid handles become 0 plus an error. */
function handleArray(handles: readonly FlowHandle[] | Uint32Array): { array: Uint32Array; errors: Map<number, RteFlowError> | undefined } {
  if (handles instanceof Uint32Array) return { array: handles, errors: undefined };
  if (!Array.isArray(handles)) throw new TypeError('handles must be an array of flow handles or a Uint32Array');
  const array = new Uint32Array(handles.length);
  let errors: Map<number, RteFlowError> | undefined;
  for (let i = 0; i < handles.length; i++) {
    const h: unknown = handles[i];
    if (typeof h === 'number' && Number.isInteger(h) && h > 0 && h <= 0xffffffff) {
      array[i] = h;
    } else {
      errors ??= new Map();
      errors.set(i, new RteFlowError(`${String(h)} is not a flow handle`, 'HANDLE', EINVAL));
    }
  }
  return { array, errors };
}

/** Calls f(index, error) for each failure pair. */
function eachFailure(failures: NativeFailures, f: (index: number, error: RteFlowError) => void): void {
  if (!failures) return;
  for (let k = 0; k + 1 < failures.length; k += 2) f(failures[k] as number, failures[k + 1] as RteFlowError);
}

const OK: Checked = Object.freeze({ ok: true });

/** Handle buffer reused from call to call (grown on demand): calls are synchronous and never nest. */
let scratchHandles = new Uint32Array(1024);

function handleScratch(count: number): Uint32Array {
  if (scratchHandles.length < count) scratchHandles = new Uint32Array(Math.max(count, scratchHandles.length * 2));
  return scratchHandles;
}

export class BatchRunner {
  /** @param device returns the native device, or throws when the backend is closed */
  constructor(private readonly device: () => NativeFlowDevice) {}

  validate(rules: RuleBatch): Checked[] {
    const enc = encoded(rules);
    const dev = this.device();
    const failures = enc.count > 0 ? dev.validate(enc.bytes, enc.count) : undefined;
    const out = new Array<Checked>(enc.total).fill(OK);
    if (enc.failures.size > 0) for (const [i, error] of enc.failures) out[i] = { ok: false, error };
    eachFailure(failures, (j, error) => (out[enc.indexOf(j)] = { ok: false, error }));
    return out;
  }

  create(rules: RuleBatch): Created[] {
    const enc = encoded(rules);
    const dev = this.device();
    const handles = handleScratch(enc.count);
    const failures = enc.count > 0 ? dev.create(enc.bytes, enc.count, handles) : undefined;
    const out = new Array<Created>(enc.total);
    if (enc.failures.size > 0) for (const [i, error] of enc.failures) out[i] = { ok: false, error };
    for (let j = 0; j < enc.count; j++) {
      if (handles[j] !== 0) out[enc.indexOf(j)] = { ok: true, handle: handles[j] };
    }
    eachFailure(failures, (j, error) => (out[enc.indexOf(j)] = { ok: false, error }));
    return out;
  }

  /** FlowBackend.createInto. */
  createInto(rules: RuleBatch, handlesOut: Uint32Array): Map<number, RteFlowError> | undefined {
    if (!(handlesOut instanceof Uint32Array)) throw new TypeError('createInto: handlesOut must be a Uint32Array');
    const enc = encoded(rules);
    if (handlesOut.length < enc.total) throw new RangeError(`createInto: handlesOut holds ${handlesOut.length} elements, ${enc.total} needed (one per rule)`);
    const dev = this.device();
    const positions = enc.positions;
    // Records are rules 0..count-1 unless some rule failed to encode: then they go through the scratch.
    const handles = positions ? handleScratch(enc.count) : handlesOut;
    const failures = enc.count > 0 ? dev.create(enc.bytes, enc.count, handles) : undefined;
    let errors: Map<number, RteFlowError> | undefined;
    if (positions) {
      handlesOut.fill(0, 0, enc.total);
      for (let j = 0; j < enc.count; j++) handlesOut[positions[j]] = handles[j];
    }
    if (enc.failures.size > 0) errors = new Map(enc.failures);
    eachFailure(failures, (j, error) => {
      const i = enc.indexOf(j);
      handlesOut[i] = 0;
      (errors ??= new Map()).set(i, error);
    });
    return errors;
  }

  destroy(handles: readonly FlowHandle[] | Uint32Array): Checked[] {
    const { array, errors } = handleArray(handles);
    const failures = this.device().destroy(array);
    const out = new Array<Checked>(array.length).fill(OK);
    eachFailure(failures, (i, error) => (out[i] = { ok: false, error }));
    if (errors) for (const [i, error] of errors) out[i] = { ok: false, error };
    return out;
  }

  query(handles: readonly FlowHandle[] | Uint32Array, reset: boolean): Queried[] {
    const { array, errors } = handleArray(handles);
    const counters = new Float64Array(array.length * 2);
    const failures = this.device().query(array, reset, counters);
    const out = new Array<Queried>(array.length);
    for (let i = 0; i < array.length; i++) out[i] = { ok: true, counters: { hits: counters[2 * i], bytes: counters[2 * i + 1] } };
    eachFailure(failures, (i, error) => (out[i] = { ok: false, error }));
    if (errors) for (const [i, error] of errors) out[i] = { ok: false, error };
    return out;
  }

  /** FlowBackend.queryInto. */
  queryInto(handles: Uint32Array, reset: boolean, out: Float64Array): number {
    if (!(handles instanceof Uint32Array)) throw new TypeError('queryInto: handles must be a Uint32Array');
    if (!(out instanceof Float64Array)) throw new TypeError('queryInto: out must be a Float64Array');
    if (out.length < handles.length * 2) throw new RangeError(`queryInto: out holds ${out.length} elements, ${handles.length * 2} needed (two per handle)`);
    return this.device().queryInto(handles, reset, out);
  }
}
