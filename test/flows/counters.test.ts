/**
 * `packets:` and `bytes:` are OVS's uint64 counters (format_dpif_flow prints them with PRIu64):
 * read exactly up to 2^64-1 (a number up to Number.MAX_SAFE_INTEGER, a bigint above), written
 * back exactly, refused above.
 */
import test from 'ava';
import { formatFlow, OdpFormatError, OdpParseError, parseFlow, type DpFlow } from '../../src/flows/odp';
import { readFlow } from '../../src/flows/odp/flow-text';

const U64_MAX = '18446744073709551615';
const HEAD = 'ufid:8d4c3f2e-5a1b-4c6d-9e8f-0a1b2c3d4e5f, recirc_id(0),in_port(1),eth_type(0x0800),ipv4(frag=no)';

/** A dump line with the given counters, as dpctl writes it (the fast path's layout). */
const line = (packets: string, bytes: string): string =>
  `${HEAD}, packets:${packets}, bytes:${bytes}, used:0.004s, flags:S., dp:ovs, actions:2, dp-extra-info:miniflow_bits(4,1)`;

/** The same counters with the sections in another order (read label by label). */
const otherOrder = (packets: string, bytes: string): string => `${HEAD}, used:0.004s, bytes:${bytes}, packets:${packets}, actions:2`;

test('counters up to 2^64-1 are read exactly and written back byte for byte', (t) => {
  for (const fast of [true, false]) {
    const f = readFlow(line(U64_MAX, U64_MAX), fast);
    t.is(f.stats?.packets, 18446744073709551615n);
    t.is(f.stats?.bytes, 18446744073709551615n);
    t.is(formatFlow(f), line(U64_MAX, U64_MAX));
  }
  const g = parseFlow(otherOrder(U64_MAX, '12345678901234567890'));
  t.is(g.stats?.packets, 2n ** 64n - 1n);
  t.is(g.stats?.bytes, 12345678901234567890n);
  t.regex(formatFlow(g), /, packets:18446744073709551615, bytes:12345678901234567890, used:0\.004s, actions:2$/);
});

test('a counter is a number up to Number.MAX_SAFE_INTEGER and a bigint above it, exact at 2^53 + 1', (t) => {
  const read = (v: string): number | bigint | undefined => parseFlow(line(v, '0')).stats?.packets;
  t.is(read('9007199254740991'), Number.MAX_SAFE_INTEGER);
  t.is(read('9007199254740992'), 9007199254740992n);
  // 2^53 + 1 has no double: only a bigint holds it.
  t.is(read('9007199254740993'), 9007199254740993n);
  t.is(read('0'), 0);
  t.is(read('00018446744073709551615'), 2n ** 64n - 1n);
  t.is(formatFlow(parseFlow(line('9007199254740993', '9007199254740992'))), line('9007199254740993', '9007199254740992'));
});

test('counters above 2^64-1 are refused with an error naming the counter', (t) => {
  for (const fast of [true, false]) {
    const e = t.throws(() => readFlow(line('18446744073709551616', '1'), fast), { instanceOf: OdpParseError });
    t.regex(e?.message ?? '', /^packets is larger than 2\^64-1 \(18446744073709551615\), the range of an OVS flow counter at offset \d+ near "18446744073709551616"$/);
    t.is(e?.position, line('18446744073709551616', '1').indexOf('18446744073709551616'));
  }
  t.throws(() => parseFlow(line('1', '99999999999999999999999999')), { instanceOf: OdpParseError, message: /^bytes is larger than 2\^64-1/ });
  t.throws(() => parseFlow(otherOrder('1', '18446744073709551616')), { instanceOf: OdpParseError, message: /^bytes is larger than 2\^64-1/ });
  t.throws(() => parseFlow(line('', '1')), { instanceOf: OdpParseError, message: /expected a number for packets/ });
});

test('the formatter writes any counter in 0..2^64-1 and refuses a bigint outside', (t) => {
  const base: DpFlow = { match: [{ kind: 'in_port', port: 1, mask: 0xffffffff }], actions: [] };
  const withStats = (packets: number | bigint, bytes: number | bigint): string => formatFlow({ ...base, stats: { packets, bytes, usedMs: 4, tcpFlags: 0 } });
  t.is(withStats(5n, 0n), 'in_port(1), packets:5, bytes:0, used:0.004s, actions:drop');
  t.is(withStats(2n ** 64n - 1n, 7), 'in_port(1), packets:18446744073709551615, bytes:7, used:0.004s, actions:drop');
  t.throws(() => withStats(2n ** 64n, 0), { instanceOf: OdpFormatError, message: 'packets 18446744073709551616 is outside 0..2^64-1' });
  t.throws(() => withStats(0, -1n), { instanceOf: OdpFormatError, message: 'bytes -1 is outside 0..2^64-1' });
});
