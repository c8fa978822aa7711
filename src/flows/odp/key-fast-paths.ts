/**
 * Fast paths: an attribute's fields in the order and form that `dpctl/dump-flows -m` writes them,
 * matched as literal texts (`,dst=`) instead of field names read and looked up.
 *
 * The rule for every fast path here: at the first difference it puts the cursor back where it
 * started and returns undefined, and the caller then reads the attribute with its general reader
 * (key-parse-attrs.ts): the result is the same either way, only the work differs. A value that
 * does not read throws the error the general reader would throw at that place. Each is tested
 * against its general reader, near misses included (test/flows/fast-paths.test.ts).
 */
import type { EthKey, Ipv4Key, Ipv6Key, L4PortsKey } from './model';
import { PORT_NAMES } from './key-parse-attrs';
import { readFrag, readMaskedField, readMaskedIpv4, readMaskedIpv6, readMaskedMac, readMaskedUint } from './key-parse-fields';
import { eatLiteral, literal } from './literals';
import type { Reader } from './reader';

const L_SRC = literal('src=');
const L_DST = literal(',dst=');
const L_PROTO = literal(',proto=');
const L_TOS = literal(',tos=');
const L_TTL = literal(',ttl=');
const L_FRAG = literal(',frag=');

/** `src=..,dst=..)` of `eth(`. */
export function fastEth(r: Reader): EthKey | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const src = readMaskedMac(r, 'eth src');
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedMac(r, 'eth dst');
    if (r.eat(41)) return { kind: 'eth', src, dst };
  }
  r.pos = start;
  return undefined;
}

/**
 * `src=..,dst=..,proto=..,tos=..,ttl=..,frag=..)` of `ipv4(`, or the same fields up to `proto`
 * closed early (`ipv4(src=..,dst=..,proto=..)`, as flows are written by hand): the general reader
 * gives these the same properties in the same order.
 */
export function fastIpv4(r: Reader): Ipv4Key | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const src = readMaskedIpv4(r, 'ipv4 src');
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedIpv4(r, 'ipv4 dst');
    if (eatLiteral(r, L_PROTO)) {
      const proto = readMaskedUint(r, 8, 'ipv4 proto');
      if (eatLiteral(r, L_TOS)) {
        const tos = readMaskedUint(r, 8, 'ipv4 tos');
        if (eatLiteral(r, L_TTL)) {
          const ttl = readMaskedUint(r, 8, 'ipv4 ttl');
          if (eatLiteral(r, L_FRAG)) {
            const frag = readFrag(r);
            if (r.eat(41)) return { kind: 'ipv4', src, dst, proto, tos, ttl, frag };
          }
        }
      } else if (r.eat(41)) return { kind: 'ipv4', src, dst, proto };
    } else if (r.eat(41)) return { kind: 'ipv4', src, dst };
  }
  r.pos = start;
  return undefined;
}

const L_LABEL = literal(',label=');
const L_TCLASS = literal(',tclass=');
const L_HLIMIT = literal(',hlimit=');

/** `src=..,dst=..,label=..,proto=..,tclass=..,hlimit=..,frag=..)` of `ipv6(`. */
export function fastIpv6(r: Reader): Ipv6Key | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const src = readMaskedIpv6(r, 'ipv6 src');
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedIpv6(r, 'ipv6 dst');
    if (eatLiteral(r, L_LABEL)) {
      const label = readMaskedField(r, 0xfffff, 'ipv6 label');
      if (eatLiteral(r, L_PROTO)) {
        const proto = readMaskedUint(r, 8, 'ipv6 proto');
        if (eatLiteral(r, L_TCLASS)) {
          const tclass = readMaskedUint(r, 8, 'ipv6 tclass');
          if (eatLiteral(r, L_HLIMIT)) {
            const hlimit = readMaskedUint(r, 8, 'ipv6 hlimit');
            if (eatLiteral(r, L_FRAG)) {
              const frag = readFrag(r);
              if (r.eat(41)) return { kind: 'ipv6', src, dst, label, proto, tclass, hlimit, frag };
            }
          }
        }
      }
    }
  }
  r.pos = start;
  return undefined;
}

/** `src=..,dst=..)` of `tcp(`, `udp(`. */
export function fastPorts(r: Reader, kind: 'tcp' | 'udp'): L4PortsKey | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const names = kind === 'udp' ? PORT_NAMES.udp : PORT_NAMES.tcp;
  const src = readMaskedUint(r, 16, names.src);
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedUint(r, 16, names.dst);
    if (r.eat(41)) return { kind, src, dst };
  }
  r.pos = start;
  return undefined;
}
