import test from 'ava';
import path from 'node:path';
import { AGENT_HELP, DEFAULT_CTL_SOCKET, DEFAULT_DB, parseAgentOptions, UsageError } from '../../src/agent/options';

test('defaults are the ones DESIGN.md fixes', (t) => {
  const o = parseAgentOptions([]);
  t.is(o.db, DEFAULT_DB);
  t.is(DEFAULT_DB, 'unix:/var/run/openvswitch/db.sock');
  t.is(o.ctlSocket, DEFAULT_CTL_SOCKET);
  t.is(DEFAULT_CTL_SOCKET, '/var/run/openvswitch/ovs-hwol-agent.ctl');
  t.deepEqual(o.backend, { kind: 'soft', profile: 'full' });
  t.deepEqual(o.flowSource, { kind: 'api' });
  t.deepEqual(o.offloadTypes, ['dpdk']);
  t.is(o.maxHwPorts, 64);
  t.is(o.statsIntervalMs, 1000);
  t.is(o.flowPollIntervalMs, 500);
  t.is(o.logLevel, 'info');
  t.is(o.metrics, undefined);
});

test('every option is parsed, in both --opt value and --opt=value forms', (t) => {
  const o = parseAgentOptions([
    '--db', 'unix:/a,tcp:127.0.0.1:6640', '--ctl-socket=/tmp/x.ctl', '--backend', 'soft:xl710',
    '--flow-source', 'vswitchd:/run/ovs-vswitchd.1.ctl', '--offload-types', 'dpdk, dpdkvhostuser',
    '--max-hw-ports', '32767', '--stats-interval', '250', '--flow-poll-interval=100', '--log-level', 'debug', '--log-file', '/tmp/a.log',
    '--metrics', '127.0.0.1:9100',
  ]);
  t.is(o.db, 'unix:/a,tcp:127.0.0.1:6640');
  t.is(o.ctlSocket, '/tmp/x.ctl');
  t.deepEqual(o.backend, { kind: 'soft', profile: 'xl710' });
  t.deepEqual(o.flowSource, { kind: 'vswitchd', ctlPath: '/run/ovs-vswitchd.1.ctl' });
  t.deepEqual(o.offloadTypes, ['dpdk', 'dpdkvhostuser']);
  t.is(o.maxHwPorts, 0x7fff);
  t.is(o.statsIntervalMs, 250);
  t.is(o.flowPollIntervalMs, 100);
  t.is(o.logLevel, 'debug');
  t.is(o.logFile, '/tmp/a.log');
  t.deepEqual(o.metrics, { host: '127.0.0.1', port: 9100 });
  t.deepEqual(parseAgentOptions(['--backend', 'dpdk', '--dpdk-args', '--no-huge -m 512']).backend, { kind: 'dpdk' });
});

test('--backend soft:FILE takes a profile document: a path with / or ending in .json, made absolute', (t) => {
  t.deepEqual(parseAgentOptions(['--backend', 'soft:/etc/ovs-hwol/countqueue.json']).backend, { kind: 'soft', profile: '/etc/ovs-hwol/countqueue.json' });
  t.deepEqual(parseAgentOptions(['--backend', 'soft:my-nic.json']).backend, { kind: 'soft', profile: path.resolve('my-nic.json') });
  t.deepEqual(parseAgentOptions(['--backend', 'soft:profiles/x']).backend, { kind: 'soft', profile: path.resolve('profiles/x') });
  t.deepEqual(parseAgentOptions(['--backend', 'soft']).backend, { kind: 'soft', profile: 'full' });
  t.throws(() => parseAgentOptions(['--backend', 'soft:']), { message: /--backend: "soft:" is neither soft\[:PROFILE \| :FILE.json\] nor dpdk/ });
  t.throws(() => parseAgentOptions(['--backend', 'soft:a b']), { message: /"a b" is neither a profile name nor a profile file/ });
});

const bad: Array<[string[], RegExp]> = [
  [['--bogus'], /unknown option "--bogus"/],
  [['--db'], /--db needs a value/],
  [['--max-hw-ports', '0'], /--max-hw-ports: 0 is out of range 1\.\.32767/],
  [['--max-hw-ports', '32768'], /out of range/],
  [['--max-hw-ports', '0x10'], /"0x10" is not a whole number/],
  [['--backend', 'hard'], /--backend: "hard"/],
  [['--backend', 'soft:nosuch'], /^--backend: no soft NIC profile "nosuch" \(profiles: full, nocount, nomark, xl710; or soft:FILE.json\)$/],
  [['--offload-types', 'dpdk,,foo'], /^--offload-types: "dpdk,,foo" has an empty type/],
  [['--db', 'bogus'], /^--db: invalid OVSDB remote "bogus": expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT$/],
  [['--db', 'unix:/a,tcp:127.0.0.1:99999'], /^--db: invalid OVSDB remote "tcp:127.0.0.1:99999": port 99999 is out of range 1\.\.65535$/],
  [['--flow-source', 'vswitchd:'], /--flow-source/],
  [['--flow-source', 'ovs'], /--flow-source: "ovs" is neither api nor vswitchd:CTL_PATH/],
  [['--flow-poll-interval', '5'], /--flow-poll-interval: 5 is out of range 10\.\.3600000/],
  [['--flow-poll-interval', '100'], /--flow-poll-interval only applies to --flow-source vswitchd:CTL_PATH/],
  [['--flow-poll-interval', 'fast'], /--flow-poll-interval: "fast" is not a whole number/],
  [['--log-level', 'loud'], /--log-level: "loud" is not one of error, warn, info, debug/],
  [['--metrics', 'nowhere'], /--metrics: "nowhere" is not HOST:PORT/],
  [['--db', 'ssl:127.0.0.1:6640'], /ssl: remotes need --private-key/],
  [['--private-key', 'k.pem'], /go together/],
  [['--dpdk-args', '-l 0'], /only applies to --backend dpdk/],
];
for (const [argv, message] of bad) {
  test(`usage error: ${argv.join(' ')}`, (t) => {
    const err = t.throws(() => parseAgentOptions(argv), { instanceOf: UsageError });
    t.regex(err?.message ?? '', message);
  });
}

test('--help documents every option the parser accepts', (t) => {
  for (const option of ['--db', '--ctl-socket', '--backend', '--dpdk-args', '--flow-source', '--offload-types', '--max-hw-ports',
    '--stats-interval', '--flow-poll-interval', '--log-level', '--log-file', '--metrics', '--private-key', '--certificate', '--ca-cert', '--help', '--version']) {
    t.true(AGENT_HELP.includes(option), `${option} missing from --help`);
  }
});
