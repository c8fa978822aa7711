/**
 * The diff of successive `dpctl/dump-flows -m --no-names` outputs against the flows last pushed to
 * the offload engine, keyed by ufid.
 *
 * A dump line is `ufid:UFID, MATCH, packets:N, bytes:N, used:T[, flags:F][, offloaded:X], dp:D,
 * actions:ACTIONS[, dp-extra-info:...]`. Only MATCH and ACTIONS decide whether a flow changed: the
 * statistics and timers change on every dump and are skipped. For a ufid already known, the line is
 * compared in place against the stored MATCH and ACTIONS text (`startsWith` at an offset: no
 * substring, no parse); only new and changed flows are cut out of the dump (and copied, so that the
 * table does not keep whole multi-megabyte dumps alive through sliced strings).
 */

/** A megaflow to put: new (add) or known with other match/actions text (modify). */
export interface MirroredFlow {
  ufid: string;
  match: string;
  actions: string;
}

/** A line of the dump that is not a flow line with a ufid. */
export interface DumpLineProblem {
  /** 1-based line number in the dump. */
  line: number;
  /** The start of the line (at most 200 characters). */
  text: string;
  reason: string;
}

export interface FlowDiff {
  /** New flows, in dump order. */
  added: MirroredFlow[];
  /** Known ufids whose match or actions changed, in dump order. */
  modified: MirroredFlow[];
  /** Known ufids that the dump no longer has. */
  deleted: string[];
  /** Distinct flows in the dump (a ufid dumped by several threads counts once). */
  flows: number;
  problems: DumpLineProblem[];
}

interface Entry {
  match: string;
  actions: string;
  /** Number of the last diff that saw this ufid. */
  seen: number;
}

const UFID = 'ufid:';
const PACKETS = ', packets:';
const ACTIONS = ', actions:';
const EXTRA = ', dp-extra-info:';
const UFID_LEN = 36;

/** A flat copy of `s` that does not share the memory of the string it was cut from. */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** 0: not a UUID at `at`; 1: a lower-case one (as OVS prints); 2: one with upper-case digits. */
function ufidTextKind(text: string, at: number): number {
  let kind = 1;
  for (let i = 0; i < UFID_LEN; i++) {
    const c = text.charCodeAt(at + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return 0;
    } else if (c >= 0x41 && c <= 0x46) {
      kind = 2;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) {
      return 0;
    }
  }
  return kind;
}

/**
 * The table of mirrored flows. Contract of {@link diff}: it returns what must change for the table to
 * equal the dump and updates the table to the dump (so the caller applies the result, then calls
 * diff again with the next dump). Lines that are blank or `flow-dump from ...` headers are skipped;
 * other lines that are not `ufid:UFID, ..., actions:...` are reported in `problems` and ignored
 * (their ufid, if readable, is neither added nor deleted: a known flow on such a line is kept).
 */
export class FlowDiffer {
  private readonly table = new Map<string, Entry>();
  private generation = 0;

  /** Number of flows in the table. */
  get size(): number {
    return this.table.size;
  }

  /** The ufids in the table. */
  ufids(): IterableIterator<string> {
    return this.table.keys();
  }

  /** Forgets one flow (e.g. one the engine refused to read), so that the next dump adds it again. */
  forget(ufid: string): void {
    this.table.delete(ufid);
  }

  /** Forgets every flow; returns their ufids. */
  clear(): string[] {
    const all = [...this.table.keys()];
    this.table.clear();
    return all;
  }

  diff(text: string): FlowDiff {
    const gen = ++this.generation;
    const table = this.table;
    const added: MirroredFlow[] = [];
    const modified: MirroredFlow[] = [];
    const problems: DumpLineProblem[] = [];
    let flows = 0;
    let lineNo = 0;
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = n;
      lineNo++;
      const start = pos;
      pos = eol + 1;
      if (!text.startsWith(UFID, start)) {
        if (isBlank(text, start, eol) || text.startsWith('flow-dump from', start)) continue;
        problems.push(problem(text, start, eol, lineNo, 'no "ufid:" at the start of the line'));
        continue;
      }
      const u = start + UFID.length;
      const ms = u + UFID_LEN + 2;
      if (ms > eol || text.charCodeAt(u + UFID_LEN) !== 0x2c) {
        problems.push(problem(text, start, eol, lineNo, 'the ufid is not a UUID followed by ","'));
        continue;
      }
      // A known ufid was checked when it was added: look it up first, check the text only when new.
      let ufid = text.slice(u, u + UFID_LEN);
      let prev = table.get(ufid);
      if (prev === undefined) {
        const kind = ufidTextKind(text, u);
        if (kind === 0) {
          problems.push(problem(text, start, eol, lineNo, 'the ufid is not a UUID followed by ","'));
          continue;
        }
        if (kind === 2) {
          ufid = ufid.toLowerCase();
          prev = table.get(ufid);
        }
      }
      if (prev !== undefined) {
        if (prev.seen === gen) continue; // dumped again by another thread
        if (unchanged(text, ms, eol, prev)) {
          prev.seen = gen;
          flows++;
          continue;
        }
      }
      const me = text.indexOf(PACKETS, ms);
      const as = me < 0 || me > eol ? -1 : text.indexOf(ACTIONS, me);
      if (me < 0 || me > eol || as < 0 || as > eol) {
        problems.push(problem(text, start, eol, lineNo, 'expected ", packets:" after the match and then ", actions:"'));
        if (prev !== undefined) prev.seen = gen;
        continue;
      }
      const ax = as + ACTIONS.length;
      let ae = text.indexOf(EXTRA, ax);
      if (ae < 0 || ae > eol) ae = trimEnd(text, ax, eol);
      const flow: MirroredFlow = { ufid, match: detach(text.slice(ms, me)), actions: detach(text.slice(ax, ae)) };
      flows++;
      if (prev === undefined) {
        table.set(ufid, { match: flow.match, actions: flow.actions, seen: gen });
        added.push(flow);
      } else {
        prev.match = flow.match;
        prev.actions = flow.actions;
        prev.seen = gen;
        modified.push(flow);
      }
    }
    const deleted: string[] = [];
    for (const [ufid, e] of table) {
      if (e.seen !== gen) {
        deleted.push(ufid);
        table.delete(ufid);
      }
    }
    return { added, modified, deleted, flows, problems };
  }
}

/**
 * Whether the line at `ms` (its match start) carries exactly `prev`'s match and actions. Compares
 * with `slice() ===`: V8 makes the slice without copying and compares flat strings with memcmp,
 * several times faster than `startsWith(s, position)`, which compares character by character.
 */
function unchanged(text: string, ms: number, eol: number, prev: Entry): boolean {
  const me = ms + prev.match.length;
  if (me > eol || text.charCodeAt(me) !== 0x2c || text.slice(ms, me) !== prev.match || !text.startsWith(PACKETS, me)) return false;
  const as = text.indexOf(ACTIONS, me);
  if (as < 0 || as > eol) return false;
  const ax = as + ACTIONS.length;
  const ae = ax + prev.actions.length;
  if (ae > eol || text.slice(ax, ae) !== prev.actions) return false;
  return ae === trimEnd(text, ae, eol) || text.startsWith(EXTRA, ae);
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) > 32) return false;
  return true;
}

/** The end of [from, to) without trailing blanks (and \r). */
function trimEnd(text: string, from: number, to: number): number {
  let e = to;
  while (e > from && text.charCodeAt(e - 1) <= 32) e--;
  return e;
}

function problem(text: string, start: number, eol: number, line: number, reason: string): DumpLineProblem {
  return { line, text: text.slice(start, Math.min(eol, start + 200)), reason };
}
