/**
 * Text helpers for ovs-hwol-ctl's human output: aligned tables and a readable rendering of any
 * JSON value (indented `key: value` lines, `- ` for list items), used for results that have no
 * dedicated format yet.
 */

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '-';
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/** Renders a JSON value as indented text lines (no trailing newline). */
export function readable(value: unknown, indent = ''): string {
  if (isScalar(value)) return `${indent}${scalar(value)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}(none)`;
    if (value.every(isScalar)) return `${indent}${value.map(scalar).join(', ')}`;
    return value
      .map((item) => {
        const body = readable(item, `${indent}  `);
        return `${indent}- ${body.slice(indent.length + 2)}`;
      })
      .join('\n');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return `${indent}(empty)`;
  return entries
    .map(([key, v]) => {
      if (isScalar(v) || (Array.isArray(v) && v.every(isScalar))) return `${indent}${key}: ${readable(v)}`;
      return `${indent}${key}:\n${readable(v, `${indent}  `)}`;
    })
    .join('\n');
}

/** 3723 -> "1h 02m 03s"; 59.5 -> "59s". */
export function duration(seconds: number): string {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${two(h)}h ${two(m)}m ${two(sec)}s`;
  if (h > 0) return `${h}h ${two(m)}m ${two(sec)}s`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

/** A mark as OVS-style hex: 65539 -> "0x10003". */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
