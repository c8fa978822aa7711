/**
 * Errors of the offload engine. Each names what was wrong; the control methods turn them into
 * JSON-RPC errors (see control-methods.ts).
 */

/** A flow given to the engine cannot be read: `index` is its position in the call, `field` what was wrong. */
export class FlowInputError extends Error {
  override readonly name = 'FlowInputError';
  constructor(
    message: string,
    /** Position of the flow in the call's list. */
    readonly index: number,
  ) {
    super(message);
  }
}

/** No flow has this ufid. */
export class FlowNotFoundError extends Error {
  override readonly name = 'FlowNotFoundError';
  constructor(readonly ufid: string) {
    super(`no flow with ufid ${ufid}`);
  }
}

/**
 * A packet cannot be injected: unknown port, a port without a NIC, or a backend that cannot
 * classify; or its capture files cannot be written (`pcapOut`: the directory asked for).
 */
export class InjectError extends Error {
  override readonly name = 'InjectError';
  constructor(
    message: string,
    readonly pcapOut?: string,
  ) {
    super(message);
  }
}

/** A pcap file that is not a classic libpcap Ethernet capture, or is cut short. */
export class PcapError extends Error {
  override readonly name = 'PcapError';
}

/** Wrong use of the engine's API (bad option values). */
export class OffloadUsageError extends Error {
  override readonly name = 'OffloadUsageError';
}
