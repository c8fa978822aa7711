/**
 * Typed errors of the translation layer. A megaflow that cannot be offloaded is not an error: it is
 * a `{ ok: false, reason }` result (see translate.ts). These classes are for callers that break a
 * contract: a flow_id out of range, a mark that is not a 32-bit number, a rule the renderer cannot write.
 */

/** An argument outside its documented range (flow_id, DPDK port id, a base rule of the wrong shape). */
export class TranslateUsageError extends Error {
  override readonly name = 'TranslateUsageError';
  constructor(message: string) {
    super(message);
  }
}

/** A MARK id, or one of its parts, outside the layout of DESIGN.md §1. */
export class MarkError extends Error {
  override readonly name = 'MarkError';
  constructor(message: string) {
    super(message);
  }
}

/** A rule spec that testpmd's `flow create` syntax (DPDK 22.11) cannot express, or that is malformed. */
export class TestpmdRenderError extends Error {
  override readonly name = 'TestpmdRenderError';
  /**
   * @param where the item or action, with its position, e.g. `pattern[2] IPV4`
   * @param problem what is wrong with it
   */
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}
