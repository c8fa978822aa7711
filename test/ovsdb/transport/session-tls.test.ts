/** ssl: remotes against a real ovsdb-server with a PKI made for the test. */
import fs from 'node:fs';
import net from 'node:net';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { ConnectError } from '../../../src/ovsdb/errors';
import { connectRemote } from '../../../src/ovsdb/remote';
import { ReliableSession } from '../../../src/ovsdb/reliable-session';
import { makePki, startTlsOvsdbServer, type Pki, type TlsOvsdbServer } from './helpers/tls-server';

let pki: Pki;
let server: TlsOvsdbServer;
const pkiDirs: string[] = [];

test.before(async () => {
  pki = await makePki('ovsdb');
  pkiDirs.push(pki.dir);
  server = await startTlsOvsdbServer(pki);
});

test.after.always(async () => {
  await server?.stop();
  for (const dir of pkiDirs) fs.rmSync(dir, { recursive: true, force: true });
});

test('a session over ssl verifies the server and runs requests', async (t) => {
  const session = new ReliableSession(server.remote, { tls: pki.client, minBackoffMs: 100, maxBackoffMs: 400 });
  t.teardown(() => session.stop());
  session.start();
  const { channel, remote } = await firstValueFrom(session.connections$);
  t.is(remote, server.remote);
  const dbs = (await channel.request('list_dbs', [])) as string[];
  t.deepEqual([...dbs].sort(), ['Open_vSwitch', '_Server']);
});

test('a server whose certificate does not chain to our CA is refused', async (t) => {
  const other = await makePki('other');
  pkiDirs.push(other.dir);
  const err = await t.throwsAsync(connectRemote({ kind: 'ssl', host: '127.0.0.1', port: server.port }, { tls: other.client, timeoutMs: 5000 }), { instanceOf: ConnectError });
  t.regex(err?.message ?? '', /certificate/i);
});

test('a TLS handshake that never completes times out with ETIMEDOUT', async (t) => {
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => silent.close());
  const port = (silent.address() as net.AddressInfo).port;
  const err = await t.throwsAsync(connectRemote({ kind: 'ssl', host: '127.0.0.1', port }, { tls: pki.client, timeoutMs: 200 }), { instanceOf: ConnectError });
  t.is(err?.code, 'ETIMEDOUT');
  t.regex(err?.message ?? '', /timed out after 200 ms/);
});
