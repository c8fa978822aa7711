/**
 * Frames for the soft NIC's classifier: batches of raw Ethernet frames in, one verdict per frame out.
 */

/** Frames back to back in `data`; frame i is `data.subarray(offsets[i], offsets[i + 1])`. */
export interface FrameBatch {
  readonly data: Uint8Array;
  /** Non-decreasing, `count + 1` elements, the last at most `data.length`. */
  readonly offsets: Uint32Array;
}

/** Packs separate frames into one {@link FrameBatch} (one copy). */
export function packFrames(frames: readonly Uint8Array[]): FrameBatch {
  const list: readonly unknown[] = frames;
  if (!Array.isArray(list)) throw new TypeError('frames must be an array of Uint8Array');
  const offsets = new Uint32Array(frames.length + 1);
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const f: unknown = list[i];
    if (!(f instanceof Uint8Array)) throw new TypeError(`frames[${i}] is not a Uint8Array`);
    offsets[i] = total;
    total += f.length;
  }
  offsets[frames.length] = total;
  const data = new Uint8Array(total);
  for (let i = 0; i < frames.length; i++) data.set(frames[i], offsets[i]);
  return { data, offsets };
}

/** Per-frame flag bits of {@link ClassifyResult.flags} (native/src/core/soft_nic.h). */
export const VerdictFlag = {
  HIT: 1,
  MARKED: 2,
  DROP: 4,
  QUEUE: 8,
  RSS: 16,
  PORT_ID: 32,
  COUNTED: 64,
  /** The frame was short or malformed: it matched nothing. */
  MALFORMED: 128,
} as const;

/** Where a hit sends the packet: a fate action, or PASSTHRU (no fate action: the default queue). */
export type Fate = 'QUEUE' | 'DROP' | 'RSS' | 'PORT_ID' | 'PASSTHRU';

/** One frame's verdict. */
export interface Verdict {
  hit: boolean;
  /** The frame was short or malformed and matched nothing. */
  malformed: boolean;
  /** The rule hit. */
  handle?: number;
  /** Its MARK id, when it has a MARK action. */
  mark?: number;
  fate?: Fate;
  /** QUEUE index, or the first RSS queue. */
  queue?: number;
  /** PORT_ID destination. */
  portId?: number;
}

/** Verdicts of a classify() call, as parallel arrays (index = frame). */
export class ClassifyResult {
  constructor(
    /** Rule hit per frame, 0 on a miss. */
    readonly handles: Uint32Array,
    /** MARK id per frame (valid when flags has MARKED). */
    readonly marks: Uint32Array,
    /** QUEUE index / first RSS queue / PORT_ID id per frame. */
    readonly fateArgs: Uint32Array,
    /** {@link VerdictFlag} bits per frame. */
    readonly flags: Uint8Array,
    /** Number of frames that hit a rule. */
    readonly hits: number,
  ) {}

  get count(): number {
    return this.handles.length;
  }

  /** Frame i's verdict as an object. */
  verdict(i: number): Verdict {
    const f = this.flags[i];
    const v: Verdict = { hit: (f & VerdictFlag.HIT) !== 0, malformed: (f & VerdictFlag.MALFORMED) !== 0 };
    if (!v.hit) return v;
    v.handle = this.handles[i];
    if (f & VerdictFlag.MARKED) v.mark = this.marks[i];
    if (f & VerdictFlag.DROP) v.fate = 'DROP';
    else if (f & VerdictFlag.QUEUE) v.fate = 'QUEUE';
    else if (f & VerdictFlag.RSS) v.fate = 'RSS';
    else if (f & VerdictFlag.PORT_ID) v.fate = 'PORT_ID';
    else v.fate = 'PASSTHRU';
    if (v.fate === 'QUEUE' || v.fate === 'RSS') v.queue = this.fateArgs[i];
    if (v.fate === 'PORT_ID') v.portId = this.fateArgs[i];
    return v;
  }

  /** Every verdict, in frame order. */
  verdicts(): Verdict[] {
    const out: Verdict[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.verdict(i));
    return out;
  }
}
