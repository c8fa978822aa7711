/**
 * Typed errors of the ODP (datapath flow) text layer.
 *
 * Every failure to read text is an {@link OdpParseError} that names the offset (0-based, in UTF-16
 * units of the input), the offending token and what was expected, so a caller can point at it.
 */

/** Text that is not a datapath flow (or match, or action list) as OVS 3.1 writes it. */
export class OdpParseError extends Error {
  override readonly name = 'OdpParseError';
  /**
   * @param reason what was wrong, e.g. `expected ")"` or `unknown key "ipv5"`
   * @param position 0-based offset into `input` where the problem starts
   * @param token the text at `position` up to the next delimiter (may be empty at end of input)
   * @param input the whole text that was being read
   */
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly token: string,
    readonly input: string,
  ) {
    super(`${reason} at offset ${position}${token === '' ? ' (end of input)' : ` near "${token}"`}`);
  }
}

/** A model value that cannot be written as ODP text (wrong kind, value out of range). */
export class OdpFormatError extends Error {
  override readonly name = 'OdpFormatError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A port name that a name -> number map does not know. */
export class UnknownPortError extends Error {
  override readonly name = 'UnknownPortError';
  constructor(readonly port: string) {
    super(`unknown datapath port "${port}"`);
  }
}
