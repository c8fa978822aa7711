/** A bad ovs-hwol-ctl command line; the message says what was wrong. main.ts prints it and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
