/**
 * TLS fixtures for the ssl: tests: a throwaway PKI made with openssl (a CA, and a certificate for
 * the server and one for the client, signed by it) and an ovsdb-server listening on pssl:PORT.
 * The server is a child of the test process, stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { VSWITCH_SCHEMA, makeTempDir } from '../../../../src/sandbox/ovsdb-server';
import { freePorts, run, waitFor } from '../../../../src/sandbox/processes';
import type { TlsOptions } from '../../../../src/ovsdb/remote';

export interface Pki {
  dir: string;
  caCert: string;
  /** The server's key and certificate (CN has no host name, as with ovs-pki). */
  server: { privateKey: string; certificate: string };
  /** TLS options for a client of this PKI. */
  client: TlsOptions;
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function leaf(dir: string, name: string, cn: string): Promise<{ privateKey: string; certificate: string }> {
  const privateKey = path.join(dir, `${name}-privkey.pem`);
  const request = path.join(dir, `${name}-req.pem`);
  const certificate = path.join(dir, `${name}-cert.pem`);
  await run('openssl', ['req', ...KEY_ARGS, '-keyout', privateKey, '-out', request, '-subj', `/CN=${cn}`]);
  await run('openssl', ['x509', '-req', '-in', request, '-CA', path.join(dir, 'cacert.pem'), '-CAkey', path.join(dir, 'ca-privkey.pem'), '-CAcreateserial', '-out', certificate, '-days', '2']);
  return { privateKey, certificate };
}

/** Creates a CA and server/client certificates under a new temporary directory. */
export async function makePki(label = 'test'): Promise<Pki> {
  const dir = makeTempDir('ovs-hwol-pki-');
  const caCert = path.join(dir, 'cacert.pem');
  await run('openssl', ['req', '-x509', ...KEY_ARGS, '-keyout', path.join(dir, 'ca-privkey.pem'), '-out', caCert, '-days', '2', '-subj', `/CN=ovs-hwol ${label} CA`]);
  const server = await leaf(dir, 'server', `ovsdb-server id:${label}`);
  const client = await leaf(dir, 'client', `ovs-hwol-agent id:${label}`);
  return { dir, caCert, server, client: { ...client, caCert } };
}

export interface TlsOvsdbServer {
  dir: string;
  port: number;
  /** `ssl:127.0.0.1:PORT` */
  remote: string;
  /** `unix:DIR/db.sock`, for checks with ovsdb-client */
  unixRemote: string;
  pki: Pki;
  /** Stops the server and removes its directory. */
  stop: () => Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts ovsdb-server with --private-key/--certificate/--ca-cert and --remote=pssl:PORT:127.0.0.1. */
export async function startTlsOvsdbServer(pki: Pki): Promise<TlsOvsdbServer> {
  const dir = makeTempDir('ovs-hwol-tls-');
  const db = path.join(dir, 'conf.db');
  await run('ovsdb-tool', ['create', db, VSWITCH_SCHEMA]);
  const [port] = await freePorts(1);
  const sock = path.join(dir, 'db.sock');
  const child = spawn(
    'ovsdb-server',
    [
      db,
      `--remote=punix:${sock}`,
      `--remote=pssl:${port}:127.0.0.1`,
      `--private-key=${pki.server.privateKey}`,
      `--certificate=${pki.server.certificate}`,
      `--ca-cert=${pki.caCert}`,
      `--unixctl=${path.join(dir, 'ovsdb-server.ctl')}`,
      `--log-file=${path.join(dir, 'ovsdb-server.log')}`,
      '--no-chdir',
      '-vconsole:off',
    ],
    { stdio: 'ignore' },
  );
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  await waitFor('ovsdb-server (TLS) to answer on its unix socket', () => run('ovsdb-client', ['--timeout=1', 'list-dbs', `unix:${sock}`]).then(() => true), 15_000, 20);
  return {
    dir,
    port,
    remote: `ssl:127.0.0.1:${port}`,
    unixRemote: `unix:${sock}`,
    pki,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
