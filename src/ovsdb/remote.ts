/**
 * OVSDB remotes in OVS syntax, and opening a byte stream to one.
 *
 * Active remotes, as `ovs-vsctl --db` and `ovsdb-client` take them:
 * - `unix:PATH`
 * - `tcp:HOST[:PORT]`, `ssl:HOST[:PORT]`: HOST is an IPv4 address, a host name, or an IPv6 address in
 *   brackets (`tcp:[::1]:6640`); PORT defaults to 6640, the IANA port for OVSDB.
 * A list is comma-separated (`tcp:10.0.0.1:6641,tcp:10.0.0.2:6641`); the session fails over through it.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { ConnectError, RemoteSyntaxError, TlsOptionsError } from './errors';

/** The default OVSDB port (IANA), used when a tcp/ssl remote names none. */
export const OVSDB_DEFAULT_PORT = 6640;

export type Remote = { kind: 'unix'; path: string } | { kind: 'tcp' | 'ssl'; host: string; port: number };

/**
 * TLS material for `ssl:` remotes: paths of PEM files, like ovsdb-server's and ovs-vsctl's
 * `--private-key`, `--certificate` and `--ca-cert`.
 */
export interface TlsOptions {
  privateKey: string;
  certificate: string;
  caCert: string;
}

export interface ConnectOptions {
  /** Required for `ssl:` remotes. */
  tls?: TlsOptions;
  /** Abort the attempt (socket connect and TLS handshake) after this long; default 10 s. */
  timeoutMs?: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function parsePort(text: string, port: string): number {
  if (!/^\d{1,5}$/.test(port)) throw new RemoteSyntaxError(text, `port "${port}" is not a number`);
  const value = Number(port);
  if (value < 1 || value > 65535) throw new RemoteSyntaxError(text, `port ${value} is out of range 1..65535`);
  return value;
}

/**
 * Parses one active remote.
 * @throws RemoteSyntaxError naming the remote and what is wrong with it (unknown or passive type,
 *   empty path, bad host, bad port, unbracketed IPv6 address).
 */
export function parseRemote(text: string): Remote {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) throw new RemoteSyntaxError(text, 'expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT');
  const type = trimmed.slice(0, colon);
  const rest = trimmed.slice(colon + 1);
  if (type === 'punix' || type === 'ptcp' || type === 'pssl') {
    throw new RemoteSyntaxError(text, `"${type}:" is a passive (listening) remote; a client needs ${type.slice(1)}:`);
  }
  if (type === 'unix') {
    if (rest === '') throw new RemoteSyntaxError(text, 'the socket path is empty');
    return { kind: 'unix', path: rest };
  }
  if (type !== 'tcp' && type !== 'ssl') {
    throw new RemoteSyntaxError(text, `unknown type "${type}" (expected unix, tcp or ssl)`);
  }
  let host: string;
  let port = OVSDB_DEFAULT_PORT;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new RemoteSyntaxError(text, 'missing "]" after the IPv6 address');
    host = rest.slice(1, close);
    if (!net.isIPv6(host)) throw new RemoteSyntaxError(text, `"${host}" is not an IPv6 address`);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw new RemoteSyntaxError(text, `unexpected "${after}" after the address`);
      port = parsePort(text, after.slice(1));
    }
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) throw new RemoteSyntaxError(text, 'an IPv6 address must be in brackets, e.g. tcp:[::1]:6640');
    host = parts[0];
    if (host === '') throw new RemoteSyntaxError(text, 'the host is empty');
    if (!net.isIPv4(host) && !HOSTNAME.test(host)) throw new RemoteSyntaxError(text, `"${host}" is not an IPv4 address or host name`);
    if (/^[\d.]+$/.test(host) && !net.isIPv4(host)) throw new RemoteSyntaxError(text, `"${host}" is not a valid IPv4 address`);
    if (parts.length === 2) port = parsePort(text, parts[1]);
  }
  return { kind: type, host, port };
}

/**
 * Parses a comma-separated list of remotes (blanks around commas are ignored).
 * @throws RemoteSyntaxError for an empty list, an empty entry, or the first bad remote.
 */
export function parseRemotes(list: string): Remote[] {
  if (list.trim() === '') throw new RemoteSyntaxError(list, 'the list of remotes is empty');
  return list.split(',').map((item) => {
    if (item.trim() === '') throw new RemoteSyntaxError(list, 'empty entry in the comma-separated list');
    return parseRemote(item);
  });
}

/** Formats a remote in OVS syntax; `parseRemote(formatRemote(r))` equals `r`. */
export function formatRemote(remote: Remote): string {
  if (remote.kind === 'unix') return `unix:${remote.path}`;
  const host = net.isIPv6(remote.host) ? `[${remote.host}]` : remote.host;
  return `${remote.kind}:${host}:${remote.port}`;
}

async function readPem(what: string, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    throw new TlsOptionsError(`cannot read the ${what} "${file}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Opens a stream to `remote` and resolves once it is connected (for `ssl:`, once the TLS handshake
 * has verified the server's certificate).
 *
 * TLS: the server's certificate must chain to `tls.caCert`, and we present our own certificate, as
 * OVS does. The host name is NOT checked against the certificate: certificates from OVS's PKI
 * (`ovs-pki`) name no host, and OVS itself only verifies the chain.
 *
 * @throws TlsOptionsError for an `ssl:` remote without `tls`, or a file that cannot be read.
 * @throws ConnectError naming the remote when the connection fails or times out (code `ETIMEDOUT`).
 */
export async function connectRemote(remote: Remote, opts: ConnectOptions = {}): Promise<Duplex> {
  const name = formatRemote(remote);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let socket: net.Socket;
  let ready: string;
  if (remote.kind === 'ssl') {
    if (!opts.tls) throw new TlsOptionsError(`${name} needs TLS options (privateKey, certificate, caCert)`);
    const [key, cert, ca] = await Promise.all([
      readPem('private key', opts.tls.privateKey),
      readPem('certificate', opts.tls.certificate),
      readPem('CA certificate', opts.tls.caCert),
    ]);
    socket = tls.connect({
      host: remote.host,
      port: remote.port,
      key,
      cert,
      ca,
      rejectUnauthorized: true,
      // Chain verification only (see above): accept any host name in a certificate that chains to `ca`.
      checkServerIdentity: () => undefined,
      ...(net.isIP(remote.host) ? {} : { servername: remote.host }),
    });
    ready = 'secureConnect';
  } else {
    socket = remote.kind === 'unix' ? net.connect({ path: remote.path }) : net.connect({ host: remote.host, port: remote.port });
    ready = 'connect';
  }
  return new Promise<Duplex>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new ConnectError(name, `timed out after ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    const onReady = (): void => {
      cleanup();
      if (socket instanceof net.Socket && remote.kind !== 'unix') socket.setNoDelay(true);
      resolve(socket);
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      cleanup();
      socket.destroy();
      reject(new ConnectError(name, err.message, err.code, { cause: err }));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off(ready, onReady);
      socket.off('error', onError);
    };
    socket.once(ready, onReady);
    socket.once('error', onError);
  });
}
