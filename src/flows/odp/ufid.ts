/**
 * Flow ids (ufids) for flows that come without one.
 *
 * A derived ufid is a name-based UUID (RFC 4122 version 5: SHA-1 over a fixed namespace and the
 * name) whose name is the match as {@link formatMatch} writes it. So the same match always gets
 * the same ufid, in any process, and different matches get different ones. Ports are taken as
 * written: resolve names first ({@link resolvePortNames}) when `in_port(p1)` and `in_port(1)` must
 * agree.
 */
import { createHash } from 'node:crypto';
import { formatKeys } from './key-format';
import type { DpFlow, KeyAttr } from './model';

/** The namespace of ovs-hwol's derived ufids (a fixed random UUID). */
export const UFID_NAMESPACE = '6a1d4f0e-8c2b-4e57-9f3a-0b7c5d2e9a41';

const NS_BYTES = Buffer.from(UFID_NAMESPACE.replace(/-/g, ''), 'hex');

/** The ufid derived from a match: lowercase UUID text. */
export function deriveUfid(match: readonly KeyAttr[]): string {
  const h = createHash('sha1').update(NS_BYTES).update(formatKeys(match)).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The flow itself when it has a ufid, else a copy with the derived one. */
export function withUfid(flow: DpFlow): DpFlow {
  return flow.ufid !== undefined ? flow : { ...flow, ufid: deriveUfid(flow.match) };
}
