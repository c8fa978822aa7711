/**
 * The packet path's per-port batching (native/src/core/mark_router.h): after classification each
 * frame goes where its MARK says, and the frames are grouped by destination without reordering
 * the frames of one flow (a stable grouping: frames keep their arrival order within a group).
 */
import type { ClassifyResult } from './frames';

/** Destinations that are not odp ports (an odp port is a destination >= 0). */
export const Dest = {
  /** Hit a rule whose fate is DROP (no MARK). */
  DROP: -1,
  /** Hit nothing: to the software datapath (malformed frames included). */
  MISS: -2,
  /** Hit a rule with neither MARK nor DROP. */
  NONE: -3,
  /** `UNMAPPED_BASE - h`: a MARK with hw-port-id h that the hw-port-id -> odp port table lacks. */
  UNMAPPED_BASE: -16,
} as const;

/** The hw-port-id a destination below {@link Dest.UNMAPPED_BASE} stands for, else undefined. */
export function unmappedHwPortId(dest: number): number | undefined {
  return dest <= Dest.UNMAPPED_BASE ? Dest.UNMAPPED_BASE - dest : undefined;
}

/** What routeFrames() of the addon computes for one classified batch. */
export class FrameRoutes {
  constructor(
    /** Each frame's destination (see {@link Dest}). */
    readonly dest: Int32Array,
    /** Frame indices grouped by destination: groups in order of first appearance, frames in arrival order. */
    readonly order: Uint32Array,
    /** `[dest0, count0, dest1, count1, ...]`, one pair per group. */
    readonly groups: Int32Array,
    /** Number of groups. */
    readonly groupCount: number,
  ) {}

  /** Destination of group g. */
  groupDest(g: number): number {
    return this.groups[2 * g];
  }

  /** Number of frames of group g. */
  groupSize(g: number): number {
    return this.groups[2 * g + 1];
  }

  /** The frame indices of every group, in group order (views of `order`). */
  batches(): Array<{ dest: number; frames: Uint32Array }> {
    const out: Array<{ dest: number; frames: Uint32Array }> = [];
    let at = 0;
    for (let g = 0; g < this.groupCount; g++) {
      const n = this.groupSize(g);
      out.push({ dest: this.groupDest(g), frames: this.order.subarray(at, at + n) });
      at += n;
    }
    return out;
  }
}

/** Signature of the addon's routeFrames (native/src/napi/route.h). */
export type NativeRouteFrames = (
  marks: Uint32Array,
  flags: Uint8Array,
  hwToOdp: Int32Array,
  destOut: Int32Array,
  orderOut: Uint32Array,
  groupsOut: Int32Array,
) => number;

/**
 * Routes a classified batch.
 * @param hwToOdp hw-port-id -> odp port (-1: none), e.g. from {@link hwToOdpTable}
 */
export function routeClassified(route: NativeRouteFrames, res: ClassifyResult, hwToOdp: Int32Array): FrameRoutes {
  const n = res.count;
  const dest = new Int32Array(n);
  const order = new Uint32Array(n);
  const groups = new Int32Array(2 * n);
  const count = route(res.marks, res.flags, hwToOdp, dest, order, groups);
  return new FrameRoutes(dest, order, groups, count);
}

/**
 * The table routeFrames() takes, from an hw_local_port_map (hw-port-id -> odp port). Entries
 * that are not a hw-port-id in 0..32767 mapped to an odp port in 0..2^31-1 are left out.
 */
export function hwToOdpTable(map: Readonly<Record<string, number>>): Int32Array {
  let size = 0;
  const entries: Array<[number, number]> = [];
  for (const [key, odp] of Object.entries(map)) {
    const hw = Number(key);
    if (!Number.isInteger(hw) || hw < 0 || hw > 0x7fff || String(hw) !== key) continue;
    if (!Number.isInteger(odp) || odp < 0 || odp > 0x7fffffff) continue;
    entries.push([hw, odp]);
    size = Math.max(size, hw + 1);
  }
  const table = new Int32Array(size).fill(-1);
  for (const [hw, odp] of entries) table[hw] = odp;
  return table;
}
