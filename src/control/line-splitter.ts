/**
 * Newline framing for the control socket: one JSON message per line, both ways.
 *
 * `push(chunk)` returns the complete lines in order, decoded as UTF-8, without the trailing "\n"
 * (and without a "\r" before it); blank lines are dropped. Chunks may split anywhere, including
 * inside a multi-byte character. Each byte is looked at once (indexOf), so a 100 MB message costs
 * one scan and one copy, not a rescan per chunk.
 *
 * A line longer than `maxLineBytes` (newline excluded) is an overflow: `push` reports it as soon as
 * the pending bytes pass the limit (without waiting for the newline, so a peer cannot make us
 * buffer without bound), returns the lines completed before it, and the splitter then ignores all
 * further input. The caller answers and closes the connection.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(readonly maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes <= 0) throw new RangeError(`maxLineBytes must be a positive integer, not ${maxLineBytes}`);
  }

  /** True once a line went over the limit; the splitter then ignores all further input. */
  get hasOverflowed(): boolean {
    return this.overflowed;
  }

  push(chunk: Buffer): { lines: string[]; overflow: boolean } {
    const lines: string[] = [];
    if (this.overflowed) return { lines, overflow: true };
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const length = this.pendingBytes + (nl - start);
      if (length > this.maxLineBytes) return this.overflow(lines);
      let line: Buffer;
      if (this.parts.length === 0) line = chunk.subarray(start, nl);
      else {
        this.parts.push(chunk.subarray(start, nl));
        line = Buffer.concat(this.parts, length);
        this.parts = [];
        this.pendingBytes = 0;
      }
      const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
      const text = line.toString('utf8', 0, end);
      if (text.trim() !== '') lines.push(text);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) return this.overflow(lines);
      // Kept without a copy: net.Socket hands out a fresh buffer per read and never reuses it.
      this.parts.push(chunk.subarray(start));
    }
    return { lines, overflow: false };
  }

  private overflow(lines: string[]): { lines: string[]; overflow: boolean } {
    this.overflowed = true;
    this.parts = [];
    this.pendingBytes = 0;
    return { lines, overflow: true };
  }
}
