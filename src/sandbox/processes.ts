/**
 * Small process helpers shared by the sandbox and the tests that start real OVS daemons:
 * run a command and collect its output, wait for a condition, find free loopback ports.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';

/** A command that exited non-zero or could not start; carries its output for the message. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed${exitCode === null ? '' : ` with exit code ${exitCode}`}: ${stderr.trim() || '(no output)'}`);
  }
}

/** Runs a program (no shell) and resolves with its stdout; rejects with CommandError. */
export function run(program: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: options.timeoutMs ?? 30_000, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const code = typeof err.code === 'number' ? err.code : null;
        const detail = err.code === 'ENOENT' ? `${program} is not installed (run "npm install", which installs the Debian packages)` : stderr || err.message;
        reject(new CommandError([program, ...args].join(' '), code, detail));
      } else resolve(stdout);
    });
  });
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or `timeoutMs` passes.
 * @throws Error naming `what` on timeout, with the last error the condition threw, if any.
 */
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Returns `count` distinct TCP ports on 127.0.0.1 that were free a moment ago. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
