/**
 * Stream framing for OVSDB's JSON-RPC: the peer sends JSON values back to back, with no delimiter
 * (whitespace may separate them), and TCP may split them anywhere, even inside a string or a
 * multi-byte UTF-8 character.
 *
 * {@link JsonStreamDecoder} finds where each top-level value ends by scanning each byte once, as it
 * arrives, tracking only nesting depth and whether it is inside a string (and after a backslash). Bytes
 * of a value that spans chunks are kept as a list of slices and concatenated once, when the value is
 * complete; then `JSON.parse` reads the value. So a 5 MB message costs one scan, one copy and one
 * parse, however it was split.
 */
import { isAscii } from 'node:buffer';
import { FramingError } from './errors';

/** Default limit on one message: 64 MiB, like a large OVSDB initial monitor reply with room to spare. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Default limit on nesting (OVS's own parser allows 1000 levels). */
export const DEFAULT_MAX_DEPTH = 1000;

export interface JsonStreamDecoderOptions {
  /** Largest accepted value, in bytes (default {@link DEFAULT_MAX_MESSAGE_BYTES}). */
  maxMessageBytes?: number;
  /** Deepest accepted nesting of arrays and objects (default {@link DEFAULT_MAX_DEPTH}). */
  maxDepth?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function describeByte(byte: number): string {
  if (byte >= 0x20 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

function checkLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`JsonStreamDecoder: ${name} must be a positive integer, got ${value}`);
  return value;
}

/** What scanBytes reads and updates: the decoder's scanning state. */
interface ScanState {
  /** Nesting depth of the value in progress; 0 between values. */
  depth: number;
  inString: boolean;
  /** Inside a string, the last byte scanned was a backslash: the next byte is escaped. */
  escaped: boolean;
  /** Out: the chunk index of a value's first byte, -1 when none was found. */
  opened: number;
  /** Out: a value ended at the returned index. */
  closed: boolean;
  /** Out: the chunk index of a byte that is not allowed there (or nests too deep), else -1. */
  bad: number;
  readonly maxDepth: number;
}

/**
 * Scans `chunk` from `from` until a top-level value ends (returns the index after its last byte, with
 * `closed` set) or the chunk ends (returns its length). Sets `opened` to where a value starts, and `bad` to
 * the index of a byte that cannot start a value, or of a bracket that nests deeper than `maxDepth`.
 *
 * One pass over the bytes: a plain loop beats a native search per string here, because OVSDB's strings are
 * short (names, uuids, map keys) and a call costs more than the bytes it skips. The loop lives in a small
 * function of its own, with all bookkeeping in the caller: V8 compiles a long loop while it runs (on-stack
 * replacement) and reuses that code on later calls, so the code after the loop must be trivial, or code that
 * never ran before the first multi-megabyte reply would fail on every later message.
 */
function scanBytes(chunk: Buffer, from: number, st: ScanState): number {
  const n = chunk.length;
  const maxDepth = st.maxDepth;
  let depth = st.depth;
  let inString = st.inString;
  let escaped = st.escaped;
  let i = from;
  while (i < n) {
    const c = chunk[i++];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      if (depth === 0) {
        st.bad = i - 1;
        break;
      }
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 0) st.opened = i - 1;
      else if (depth >= maxDepth) {
        st.bad = i - 1;
        depth++;
        break;
      }
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) {
        st.bad = i - 1;
        break;
      }
      if (--depth === 0) {
        st.closed = true;
        break;
      }
    } else if (depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      st.bad = i - 1;
      break;
    }
  }
  st.depth = depth;
  st.inString = inString;
  st.escaped = escaped;
  return i;
}

/**
 * Splits a byte stream into JSON values.
 *
 * Contract:
 * - `feed(chunk)` returns the values completed by this chunk, in stream order (possibly none);
 *   bytes of an unfinished value are kept for the next call. Chunks may split the stream anywhere.
 * - Each top-level value must be an object or an array (as in OVS: a bare scalar has no end that a
 *   stream can see). Between values only JSON whitespace is allowed.
 * - Throws {@link FramingError} (with the stream byte offset in `position`) for bytes that cannot
 *   start a value, invalid JSON, a value larger than `maxMessageBytes` (the message names the limit)
 *   or nested deeper than `maxDepth`. After an error the stream has no point to resynchronise at, so
 *   every later `feed` throws the same error; values completed earlier in the failing chunk are lost
 *   with it.
 * - Invalid UTF-8 inside strings is not an error: it decodes to U+FFFD.
 */
export class JsonStreamDecoder {
  private readonly maxBytes: number;
  private readonly maxDepth: number;
  /** Slices of earlier chunks that hold the start of the value in progress. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Nesting depth, string and escape state, and what the last scanBytes call found. */
  private readonly st: ScanState;
  /** Stream offset of the next chunk's first byte. */
  private offset = 0;
  /** Stream offset of the first byte of the value in progress. */
  private valueStart = 0;
  private failure: FramingError | undefined;

  constructor(opts: JsonStreamDecoderOptions = {}) {
    this.maxBytes = checkLimit('maxMessageBytes', opts.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
    this.maxDepth = checkLimit('maxDepth', opts.maxDepth, DEFAULT_MAX_DEPTH);
    this.st = { depth: 0, inString: false, escaped: false, opened: -1, closed: false, bad: -1, maxDepth: this.maxDepth };
  }

  /** True while part of a value has been received but not its end (e.g. to report EOF mid-message). */
  get inMessage(): boolean {
    return this.st.depth > 0;
  }

  /** Bytes held for the value in progress (from earlier chunks). */
  get bufferedBytes(): number {
    return this.partBytes;
  }

  /** Total bytes fed so far. */
  get bytesFed(): number {
    return this.offset;
  }

  /** Feeds the next chunk of the stream; returns the values it completes. */
  feed(chunk: Buffer): unknown[] {
    if (this.failure) throw this.failure;
    try {
      return this.scan(chunk);
    } catch (err) {
      if (err instanceof FramingError) this.failure = err;
      throw err;
    }
  }

  private scan(chunk: Buffer): unknown[] {
    const values: unknown[] = [];
    const n = chunk.length;
    const base = this.offset;
    const st = this.st;
    /** Where the value in progress starts within this chunk (0 when it began in an earlier one). */
    let start = 0;
    let i = 0;
    while (i < n) {
      i = scanBytes(chunk, i, st);
      if (st.bad >= 0) {
        const at = st.bad;
        if (st.depth > this.maxDepth) {
          throw new FramingError(`JSON-RPC message nests deeper than ${this.maxDepth} levels at byte ${base + at} of the stream`, base + at);
        }
        throw new FramingError(`expected '{' or '[' to start a JSON-RPC message at byte ${base + at} of the stream, found ${describeByte(chunk[at])}`, base + at);
      }
      if (st.opened >= 0) {
        start = st.opened;
        this.valueStart = base + start;
        st.opened = -1;
      }
      if (st.closed) {
        st.closed = false;
        values.push(this.complete(chunk, start, i));
      }
    }
    if (st.depth > 0) {
      const tail = n - start;
      if (this.partBytes + tail > this.maxBytes) {
        throw new FramingError(this.tooLarge(this.partBytes + tail), this.valueStart);
      }
      if (tail > 0) {
        this.parts.push(start === 0 ? chunk : chunk.subarray(start));
        this.partBytes += tail;
      }
    }
    this.offset = base + n;
    return values;
  }

  /** Parses the value that ends at `end` (exclusive) in `chunk`. */
  private complete(chunk: Buffer, start: number, end: number): unknown {
    const size = this.partBytes + (end - start);
    if (size > this.maxBytes) throw new FramingError(this.tooLarge(size), this.valueStart);
    let bytes: Buffer;
    if (this.parts.length === 0) {
      bytes = chunk.subarray(start, end);
    } else {
      this.parts.push(chunk.subarray(start, end));
      bytes = Buffer.concat(this.parts, size);
      this.parts = [];
      this.partBytes = 0;
    }
    const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    try {
      return JSON.parse(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const at = /position (\d+)/.exec(reason);
      const position = this.valueStart + (at ? Buffer.byteLength(text.slice(0, Number(at[1]))) : 0);
      throw new FramingError(`invalid JSON in the message at bytes ${this.valueStart}..${this.valueStart + size - 1} of the stream (error near byte ${position}): ${reason}`, position);
    }
  }

  private tooLarge(size: number): string {
    return `JSON-RPC message starting at byte ${this.valueStart} of the stream exceeds the limit of ${this.maxBytes} bytes (maxMessageBytes; ${size} bytes so far)`;
  }
}
