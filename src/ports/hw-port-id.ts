/**
 * Parsing of `options:hw-port-id`, exactly as OVS reads it with `smap_get_int()`.
 *
 * OVS (lib/smap.c, lib/util.c) reads the value with `str_to_int(value, 10, &i)`, which is `strtoll(s, &tail, 10)`
 * in the C locale plus two checks: at least one digit was read and nothing follows the number. So, and only so:
 *
 * - leading white space (C `isspace`: space, \t, \n, \v, \f, \r) is skipped: `" 3"` is 3;
 * - one optional sign: `"+3"` is 3, and `"-0"` is 0 (negative values are read, then fail our range check);
 * - decimal digits only, leading zeros allowed: `"007"` is 7 (base 10, not octal);
 * - anything after the digits, trailing white space included, rejects the value: `"3 "`, `"1.5"`, `"0x1"`, `"1e3"`;
 * - no digits at all rejects it: `""`, `" "`, `"+"`.
 *
 * Where OVS would fall back to the caller's default for a value it cannot read, ovs-hwol reports the value as
 * invalid instead (DESIGN.md §3): a typo must not silently disable or move offload. A well-formed integer
 * outside 0..maxHwPorts-1 is invalid too; that includes values beyond the range of a C `int`, which recent OVS
 * rejects and older OVS truncated.
 */

/** The largest allowed `maxHwPorts`: hw-port-ids must fit the 15-bit port field of a MARK (FLOW_ID_PORT_MASK). */
export const MAX_HW_PORTS_LIMIT = 0x7fff;

/** The result of reading `options:hw-port-id`. */
export type HwPortIdResult =
  /** No `hw-port-id` key: the interface is not offloaded. */
  | { readonly status: 'absent' }
  /** A valid id in 0..maxHwPorts-1. */
  | { readonly status: 'enabled'; readonly id: number }
  /** A value that is not a base-10 integer in range; `reason` names the value. */
  | { readonly status: 'invalid'; readonly value: string; readonly reason: string };

const ABSENT: HwPortIdResult = Object.freeze({ status: 'absent' });

/**
 * Reads a `hw-port-id` option value.
 *
 * @param value the option's value, or undefined when the key is absent
 * @param maxHwPorts N: valid ids are 0..N-1 (the caller validates N, see resolvePortsConfig)
 * @returns absent, enabled with the id, or invalid with a reason that quotes the value
 */
export function parseHwPortId(value: string | undefined, maxHwPorts: number): HwPortIdResult {
  if (value === undefined) return ABSENT;
  // strtoll(value, &tail, 10) in the C locale, then str_to_int's checks, one character at a time.
  const end = value.length;
  let i = 0;
  let c = value.charCodeAt(0);
  while (c === 32 || (c >= 9 && c <= 13)) c = value.charCodeAt(++i); // C isspace: ' ', \t \n \v \f \r
  const negative = c === 45; // '-'
  if (negative || c === 43) c = value.charCodeAt(++i); // '+'
  const digitsStart = i;
  let magnitude = 0;
  while (c >= 48 && c <= 57) {
    if (magnitude <= MAX_HW_PORTS_LIMIT) magnitude = magnitude * 10 + (c - 48); // beyond the limit, only "too big" matters
    c = value.charCodeAt(++i);
  }
  if (i === digitsStart || i !== end) {
    return invalid(value, `hw-port-id ${JSON.stringify(value)} is not a base-10 integer`);
  }
  if ((negative && magnitude !== 0) || magnitude >= maxHwPorts) {
    return invalid(value, `hw-port-id ${JSON.stringify(value)} is out of range 0..${maxHwPorts - 1}`);
  }
  return enabledResult(magnitude); // `-0` reads as 0, as in C
}

/**
 * Shared frozen results for ids 0..MAX_HW_PORTS_LIMIT-1: an initial sync of thousands of rows allocates none.
 * Sized up front: a sparse array that grows by far-apart indexes turns into a slow dictionary.
 */
const ENABLED = new Array<HwPortIdResult | undefined>(MAX_HW_PORTS_LIMIT);

function enabledResult(id: number): HwPortIdResult {
  return (ENABLED[id] ??= Object.freeze({ status: 'enabled', id }));
}

function invalid(value: string, reason: string): HwPortIdResult {
  return { status: 'invalid', value, reason };
}
