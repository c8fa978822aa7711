/**
 * Reads `tunnel(...)` keys after the `(` through the `)`: the outer header fields (`tun_id=`,
 * addresses, `tos=`, `ttl=`, ports) in any order, and the nested `flags(...)`, `geneve({...}...)`,
 * `vxlan(gbp(...))`, `erspan(...)` and `gtpu(...)`, as OVS 3.1 writes and reads them.
 */
import { TUN_FLAG_NAMES, readFlags } from './flags';
import type { GeneveOption, TunnelKey } from './model';
import {
  firstField, nextField, readMaskedBig, readMaskedIpv4, readMaskedIpv6, readMaskedUint, unknownField,
  N_CLASS, N_DIR, N_DST, N_ERSPAN, N_FLAGS, N_GENEVE, N_GTPU, N_HWID, N_ID, N_IDX, N_IPV6_DST, N_IPV6_SRC, N_LEN, N_MSGTYPE, N_SRC, N_TOS,
  N_TP_DST, N_TP_SRC, N_TTL, N_TUN_ID, N_TYPE, N_VER, N_VXLAN,
} from './key-parse-fields';
import type { Reader } from './reader';

function readGeneve(r: Reader): GeneveOption[] {
  const opts: GeneveOption[] = [];
  while (r.eat(123 /* { */)) {
    const o: GeneveOption = {};
    for (;;) {
      if (r.eat(125 /* } */)) break;
      const c = r.peek();
      if (c === 48 && (r.b[r.pos + 1] | 32) === 120) {
        o.data = hexBlob(r, 'geneve option data');
        if (r.eat(47)) o.dataMask = hexBlob(r, 'geneve option mask');
      } else {
        const at = r.pos;
        const f = r.fieldCode();
        if (f === N_CLASS) o.class = readMaskedUint(r, 16, 'geneve class');
        else if (f === N_TYPE) o.type = readMaskedUint(r, 8, 'geneve type');
        else if (f === N_LEN) {
          o.len = readMaskedUint(r, 8, 'geneve len');
          if (o.len.value > 124 || o.len.value % 4 !== 0) r.fail('geneve len must be a multiple of 4 up to 124', at);
        } else unknownField(r, 'geneve', at);
      }
      if (!r.eat(44)) {
        r.expect(125);
        break;
      }
    }
    opts.push(o);
  }
  r.expect(41);
  return opts;
}

/** `0x` + hex digits, kept as written (lowercased). */
function hexBlob(r: Reader, what: string): string {
  const start = r.pos;
  r.pos += 2;
  const q = r.pos;
  while (r.pos < r.end && ((r.b[r.pos] >= 48 && r.b[r.pos] <= 57) || ((r.b[r.pos] | 32) >= 97 && (r.b[r.pos] | 32) <= 102))) r.pos++;
  if (r.pos === q) r.fail(`expected hex digits for ${what}`, start);
  return r.s.slice(start, r.pos).toLowerCase();
}

export function readTunnel(r: Reader): TunnelKey {
  const k: TunnelKey = { kind: 'tunnel' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.code();
    if (r.eat(40 /* ( */)) {
      switch (f) {
        case N_FLAGS: {
          const v = readFlags(r, TUN_FLAG_NAMES, 0xf, 0xf, 'tunnel');
          k.flags = v;
          r.expect(41);
          break;
        }
        case N_GENEVE: k.geneve = readGeneve(r); break;
        case N_VXLAN: {
          r.expectText('gbp(');
          const g: NonNullable<TunnelKey['vxlanGbp']> = {};
          if (firstField(r)) {
            do {
              const fa = r.pos;
              const gf = r.fieldCode();
              if (gf === N_ID) g.id = readMaskedUint(r, 16, 'vxlan gbp id');
              else if (gf === N_FLAGS) g.flags = readMaskedUint(r, 8, 'vxlan gbp flags');
              else unknownField(r, 'gbp', fa);
            } while (nextField(r, 'gbp'));
          }
          r.expect(41);
          k.vxlanGbp = g;
          break;
        }
        case N_ERSPAN: {
          const e: NonNullable<TunnelKey['erspan']> = {};
          if (firstField(r)) {
            do {
              const fa = r.pos;
              const ef = r.fieldCode();
              if (ef === N_VER) e.ver = readMaskedUint(r, 8, 'erspan ver');
              else if (ef === N_IDX) {
                const value = r.uint(32, 'erspan idx');
                e.idx = r.eat(47) ? { value, mask: r.uint(32, 'erspan idx mask') } : { value };
              } else if (ef === N_DIR) e.dir = readMaskedUint(r, 8, 'erspan dir');
              else if (ef === N_HWID) e.hwid = readMaskedUint(r, 8, 'erspan hwid');
              else unknownField(r, 'erspan', fa);
            } while (nextField(r, 'erspan'));
          }
          k.erspan = e;
          break;
        }
        case N_GTPU: {
          const g: NonNullable<TunnelKey['gtpu']> = {};
          if (firstField(r)) {
            do {
              const fa = r.pos;
              const gf = r.fieldCode();
              if (gf === N_FLAGS) g.flags = readMaskedUint(r, 8, 'gtpu flags');
              else if (gf === N_MSGTYPE) g.msgtype = readMaskedUint(r, 8, 'gtpu msgtype');
              else unknownField(r, 'gtpu', fa);
            } while (nextField(r, 'gtpu'));
          }
          k.gtpu = g;
          break;
        }
        default: r.fail(`unknown field "${r.s.slice(at, r.pos - 1)}(" in tunnel(...)`, at);
      }
      continue;
    }
    if (!r.eat(61)) r.fail(r.pos === at ? 'expected a field name' : `expected "=" after "${r.lastWord()}"`, at);
    switch (f) {
      case N_TUN_ID: k.tunId = readMaskedBig(r, 64, 'tunnel tun_id'); break;
      case N_SRC: k.src = readMaskedIpv4(r, 'tunnel src'); break;
      case N_DST: k.dst = readMaskedIpv4(r, 'tunnel dst'); break;
      case N_IPV6_SRC: k.ipv6Src = readMaskedIpv6(r, 'tunnel ipv6_src'); break;
      case N_IPV6_DST: k.ipv6Dst = readMaskedIpv6(r, 'tunnel ipv6_dst'); break;
      case N_TOS: k.tos = readMaskedUint(r, 8, 'tunnel tos'); break;
      case N_TTL: k.ttl = readMaskedUint(r, 8, 'tunnel ttl'); break;
      case N_TP_SRC: k.tpSrc = readMaskedUint(r, 16, 'tunnel tp_src'); break;
      case N_TP_DST: k.tpDst = readMaskedUint(r, 16, 'tunnel tp_dst'); break;
      default: unknownField(r, 'tunnel', at);
    }
  } while (nextField(r, 'tunnel'));
  return k;
}
