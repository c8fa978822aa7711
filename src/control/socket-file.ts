/**
 * The control socket's file: claiming the path and listening on it with mode 0600.
 *
 * - Nothing at the path: listen.
 * - A socket that accepts a connection: a live agent; refuse with ControlSocketInUseError.
 * - A socket that refuses connections (ECONNREFUSED): left by an agent that died; unlink and listen.
 * - Anything else at the path (a regular file, a directory): refuse; it is not ours to delete.
 *
 * The mode: the process umask is set to 0177 for the synchronous bind inside `server.listen`, so
 * the file is created 0600 and is never wider, even for an instant. (There is a small race between
 * the liveness probe and the bind if two agents start at the same instant: the second bind then
 * fails with EADDRINUSE, reported as ControlSocketInUseError.)
 */
import fs from 'node:fs';
import net from 'node:net';
import nodePath from 'node:path';
import { MAX_SOCKET_PATH_BYTES } from './defaults';
import { ControlServerError, ControlSocketInUseError } from './errors';

function errnoOf(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'UNKNOWN';
}

/** Resolves 'live' if something accepts connections at `path`, 'dead' on ECONNREFUSED; rejects otherwise. */
function probe(path: string): Promise<'live' | 'dead'> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve('live');
    });
    s.once('error', (err) => {
      s.destroy();
      if (errnoOf(err) === 'ECONNREFUSED') resolve('dead');
      else reject(err);
    });
  });
}

/** Makes `path` free to bind, or throws ControlSocketInUseError / ControlServerError. */
export async function claimSocketPath(path: string): Promise<'free' | 'replaced-stale'> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new ControlServerError(`control socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes, the limit of a unix socket path`);
  }
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return 'free';
    throw new ControlServerError(`cannot inspect control socket path ${path}: ${(err as Error).message}`);
  }
  if (!stat.isSocket()) throw new ControlServerError(`${path} exists and is not a socket; remove it or choose another --ctl-socket`);
  let state: 'live' | 'dead';
  try {
    state = await probe(path);
  } catch (err) {
    throw new ControlServerError(`cannot check whether an agent listens on ${path}: ${(err as Error).message}`);
  }
  if (state === 'live') throw new ControlSocketInUseError(path);
  try {
    await fs.promises.unlink(path);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw new ControlServerError(`cannot remove the stale control socket ${path}: ${(err as Error).message}`);
  }
  return 'replaced-stale';
}

/**
 * Why a socket cannot be made at `path` when its directory is missing (Node reports that as
 * EACCES): `directory D does not exist`; undefined when the directory is there.
 */
function missingDirectory(path: string): string | undefined {
  const dir = nodePath.dirname(nodePath.resolve(path));
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return `directory ${dir} does not exist`;
  return st.isDirectory() ? undefined : `${dir} is not a directory`;
}

/** Listens on `path` with the socket file created mode 0600 (see the module comment). */
export function listenPrivate(server: net.Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      if (errnoOf(err) === 'EADDRINUSE') reject(new ControlSocketInUseError(path));
      else reject(new ControlServerError(`cannot listen on ${path}: ${missingDirectory(path) ?? err.message}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    const previous = process.umask(0o177);
    try {
      server.listen(path);
    } finally {
      process.umask(previous);
    }
  });
}
