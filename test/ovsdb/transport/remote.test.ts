import net from 'node:net';
import test from 'ava';
import fc from 'fast-check';
import { ConnectError, RemoteSyntaxError, TlsOptionsError } from '../../../src/ovsdb/errors';
import { connectRemote, formatRemote, parseRemote, parseRemotes, type Remote } from '../../../src/ovsdb/remote';
import { freePorts } from '../../../src/sandbox/processes';

const GOOD: Array<[string, Remote]> = [
  ['unix:/var/run/openvswitch/db.sock', { kind: 'unix', path: '/var/run/openvswitch/db.sock' }],
  ['unix:db.sock', { kind: 'unix', path: 'db.sock' }],
  ['tcp:127.0.0.1:6641', { kind: 'tcp', host: '127.0.0.1', port: 6641 }],
  ['tcp:127.0.0.1', { kind: 'tcp', host: '127.0.0.1', port: 6640 }],
  ['ssl:192.168.0.10:6640', { kind: 'ssl', host: '192.168.0.10', port: 6640 }],
  ['tcp:[::1]:6640', { kind: 'tcp', host: '::1', port: 6640 }],
  ['ssl:[fe80::1%eth0]:1', { kind: 'ssl', host: 'fe80::1%eth0', port: 1 }],
  ['tcp:[2001:db8::5]', { kind: 'tcp', host: '2001:db8::5', port: 6640 }],
  ['tcp:ovsdb.example.com:65535', { kind: 'tcp', host: 'ovsdb.example.com', port: 65535 }],
  [' tcp:localhost:6640 ', { kind: 'tcp', host: 'localhost', port: 6640 }],
];

for (const [text, remote] of GOOD) {
  test(`parseRemote("${text}")`, (t) => {
    t.deepEqual(parseRemote(text), remote);
  });
}

const BAD: Array<[string, RegExp]> = [
  ['', /expected unix:PATH/],
  ['db.sock', /expected unix:PATH/],
  ['unix:', /path is empty/],
  ['punix:/tmp/x', /passive/],
  ['ptcp:6640', /passive/],
  ['pssl:6640', /passive/],
  ['http:1.2.3.4:80', /unknown type "http"/],
  ['tcp:', /host is empty/],
  ['tcp::6640', /host is empty/],
  ['tcp:1.2.3.4:', /port "" is not a number/],
  ['tcp:1.2.3.4:x', /port "x" is not a number/],
  ['tcp:1.2.3.4:0', /out of range/],
  ['tcp:1.2.3.4:65536', /out of range/],
  ['tcp:1.2.3.4:-1', /not a number/],
  ['tcp:::1:6640', /IPv6 address must be in brackets/],
  ['tcp:[::1', /missing "\]"/],
  ['tcp:[not-v6]:1', /not an IPv6 address/],
  ['tcp:[::1]6640', /unexpected "6640"/],
  ['tcp:999.1.1.1:1', /not a valid IPv4 address/],
  ['tcp:bad_host!:1', /not an IPv4 address or host name/],
];

for (const [text, reason] of BAD) {
  test(`parseRemote("${text}") is a RemoteSyntaxError`, (t) => {
    const err = t.throws(() => parseRemote(text), { instanceOf: RemoteSyntaxError });
    t.regex(err?.message ?? '', reason);
    t.is(err?.remote, text);
    t.true(err?.message.includes(`"${text}"`));
  });
}

test('parseRemotes splits a comma-separated list and names the bad entry', (t) => {
  t.deepEqual(parseRemotes('tcp:127.0.0.1:1, tcp:127.0.0.1:2,unix:/x'), [
    { kind: 'tcp', host: '127.0.0.1', port: 1 },
    { kind: 'tcp', host: '127.0.0.1', port: 2 },
    { kind: 'unix', path: '/x' },
  ]);
  const err = t.throws(() => parseRemotes('tcp:127.0.0.1:1,tcp:127.0.0.1:99999'), { instanceOf: RemoteSyntaxError });
  t.is(err?.remote, 'tcp:127.0.0.1:99999');
  t.throws(() => parseRemotes(''), { instanceOf: RemoteSyntaxError, message: /empty/ });
  t.throws(() => parseRemotes('unix:/a,,unix:/b'), { instanceOf: RemoteSyntaxError, message: /empty entry/ });
});

test('formatRemote writes OVS syntax, with IPv6 in brackets', (t) => {
  t.is(formatRemote({ kind: 'unix', path: '/run/db.sock' }), 'unix:/run/db.sock');
  t.is(formatRemote({ kind: 'ssl', host: '10.0.0.1', port: 6641 }), 'ssl:10.0.0.1:6641');
  t.is(formatRemote({ kind: 'tcp', host: '::1', port: 6640 }), 'tcp:[::1]:6640');
});

test('formatRemote and parseRemote round-trip', (t) => {
  const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain());
  const remote = fc.oneof(
    fc.record({ kind: fc.constant('unix' as const), path: fc.string({ minLength: 1 }).filter((s) => !s.includes(',') && s.trim() === s) }),
    fc.record({ kind: fc.constantFrom('tcp' as const, 'ssl' as const), host, port: fc.integer({ min: 1, max: 65535 }) }),
  );
  fc.assert(
    fc.property(remote, (r) => {
      t.deepEqual(parseRemote(formatRemote(r)), r);
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('connecting to a missing unix socket is a ConnectError naming the remote and the code', async (t) => {
  const err = await t.throwsAsync(connectRemote({ kind: 'unix', path: '/nonexistent/db.sock' }), { instanceOf: ConnectError });
  t.is(err?.code, 'ENOENT');
  t.regex(err?.message ?? '', /unix:\/nonexistent\/db\.sock/);
});

test('connecting to a closed tcp port is a ConnectError with ECONNREFUSED', async (t) => {
  const [port] = await freePorts(1);
  const err = await t.throwsAsync(connectRemote({ kind: 'tcp', host: '127.0.0.1', port }), { instanceOf: ConnectError });
  t.is(err?.code, 'ECONNREFUSED');
});

test('an ssl remote without TLS options is a TlsOptionsError', async (t) => {
  const err = await t.throwsAsync(connectRemote({ kind: 'ssl', host: '127.0.0.1', port: 6640 }), { instanceOf: TlsOptionsError });
  t.regex(err?.message ?? '', /ssl:127\.0\.0\.1:6640 needs TLS options/);
});

test('an unreadable TLS file is a TlsOptionsError naming the file', async (t) => {
  const tls = { privateKey: '/nonexistent/key.pem', certificate: '/nonexistent/cert.pem', caCert: '/nonexistent/ca.pem' };
  const err = await t.throwsAsync(connectRemote({ kind: 'ssl', host: '127.0.0.1', port: 6640 }, { tls }), { instanceOf: TlsOptionsError });
  t.regex(err?.message ?? '', /\/nonexistent\/key\.pem/);
});

test('a connected socket is returned for a listening tcp port', async (t) => {
  const server = net.createServer((s) => s.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const stream = await connectRemote({ kind: 'tcp', host: '127.0.0.1', port });
  const text = await new Promise<string>((resolve) => {
    let s = '';
    stream.on('data', (d: Buffer) => (s += d.toString()));
    stream.on('end', () => resolve(s));
  });
  t.is(text, 'hello');
});
