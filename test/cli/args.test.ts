import test from 'ava';
import { parseCommandLine } from '../../src/cli/args';
import { COMMANDS, findCommand, parseFlowFile, type ParseContext } from '../../src/cli/commands';
import { CliUsageError } from '../../src/cli/usage-error';
import { CONTROL_METHODS } from '../../src/control/schema';

const UFID = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const LINE = `ufid:${UFID}, recirc_id(0),in_port(1),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, dp:ovs, actions:2`;

function ctx(files: Record<string, string> = {}): ParseContext {
  return {
    cwd: '/work/dir',
    readText: (f) => {
      if (f in files) return files[f];
      throw Object.assign(new Error(`ENOENT: ${f}`), { code: 'ENOENT' });
    },
    isFile: (f) => f in files,
  };
}

function parse(method: string, args: string[], c: ParseContext = ctx()): unknown {
  const command = findCommand(method);
  if (!command) throw new Error(`no command ${method}`);
  return command.parse(args, c);
}

test('the command table has one entry per method of the schema, in the same order', (t) => {
  t.deepEqual(
    COMMANDS.map((c) => c.method),
    [...CONTROL_METHODS],
  );
});

test('global options before or after METHOD; defaults from the environment', (t) => {
  t.deepEqual(parseCommandLine(['ports/show'], {}), { kind: 'call', socketPath: '/var/run/openvswitch/ovs-hwol-agent.ctl', json: false, timeoutMs: 0, method: 'ports/show', args: [] });
  t.like(parseCommandLine(['ports/show'], { OVS_HWOL_CTL_SOCKET: '/tmp/e.ctl' }), { socketPath: '/tmp/e.ctl' });
  t.like(parseCommandLine(['--ctl-socket', '/tmp/a.ctl', 'ports/show'], { OVS_HWOL_CTL_SOCKET: '/tmp/e.ctl' }), { socketPath: '/tmp/a.ctl' });
  t.like(parseCommandLine(['--ctl-socket=/tmp/b.ctl', '--json', '--timeout', '2.5', 'ports/show'], {}), { socketPath: '/tmp/b.ctl', json: true, timeoutMs: 2500 });
  t.like(parseCommandLine(['flow/get', UFID, '--json', '--timeout=1'], {}), { json: true, timeoutMs: 1000, method: 'flow/get', args: [UFID] });
  t.like(parseCommandLine(['flow/put', '--file', 'x.txt'], {}), { method: 'flow/put', args: ['--file', 'x.txt'] });
  t.like(parseCommandLine(['packet/inject', '--', 'p1', '--json'], {}), { json: false, method: 'packet/inject', args: ['p1', '--json'] });
  t.deepEqual(parseCommandLine(['--help', 'ports/show'], {}), { kind: 'help' });
  t.deepEqual(parseCommandLine(['-V'], {}), { kind: 'version' });
});

test('bad global options are usage errors naming them', (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /missing METHOD/],
    [['--bogus', 'ports/show'], /unknown option --bogus/],
    [['ports/show', '--ctl-socket'], /--ctl-socket needs a value/],
    [['--ctl-socket=', 'ports/show'], /--ctl-socket: empty path/],
    [['--timeout', 'soon', 'ports/show'], /--timeout: "soon" is not a number of seconds/],
    [['--timeout', '-1', 'ports/show'], /--timeout: "-1"/],
  ];
  for (const [argv, message] of cases) t.throws(() => parseCommandLine(argv, {}), { instanceOf: CliUsageError, message }, argv.join(' '));
});

test('methods without arguments refuse arguments', (t) => {
  for (const m of ['agent/show', 'ports/show', 'flow/flush', 'offload/stats']) {
    t.is(parse(m, []), undefined);
    t.throws(() => parse(m, ['x']), { instanceOf: CliUsageError, message: new RegExp(`${m} takes no arguments`) });
  }
});

test('flow/put: a whole line, MATCH ACTIONS, or --file', (t) => {
  t.deepEqual(parse('flow/put', [LINE]), { flows: [LINE] });
  t.deepEqual(parse('flow/put', ['in_port(1),eth_type(0x0800)', '2']), { flows: [{ match: 'in_port(1),eth_type(0x0800)', actions: '2' }] });
  const file = `flow-dump from the main thread:\n${LINE}\n\n# a comment\nin_port(2),eth_type(0x86dd) drop\n`;
  t.deepEqual(parse('flow/put', ['--file', 'flows.txt'], ctx({ '/work/dir/flows.txt': file })), { flows: [LINE, { match: 'in_port(2),eth_type(0x86dd)', actions: 'drop' }] });
  t.deepEqual(parse('flow/put', ['--file=/abs/f'], ctx({ '/abs/f': LINE })), { flows: [LINE] });
  t.deepEqual(parse('flow/put', ['--file', '-'], ctx({ '-': LINE })), { flows: [LINE] });
});

test('flow/put: wrong forms are usage errors', (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /flow\/put takes LINE, MATCH ACTIONS or --file FILE \(got 0 arguments\)/],
    [['in_port(1)'], /a single argument must be a whole dump line/],
    [['a', 'b', 'c'], /got 3 arguments/],
    [['--file'], /--file needs a FILE/],
    [['--file', 'missing.txt'], /cannot read missing.txt: ENOENT/],
    [['--file', 'f', 'extra'], /--file FILE takes no other arguments/],
    [['--frob', 'x'], /unknown option --frob/],
  ];
  for (const [args, message] of cases) t.throws(() => parse('flow/put', args, ctx({ '/work/dir/f': LINE })), { instanceOf: CliUsageError, message }, args.join(' '));
  t.throws(() => parseFlowFile('f.txt', 'in_port(1) 2\njust-one-field\n'), { instanceOf: CliUsageError, message: /f.txt:2: expected a dump line/ });
  t.throws(() => parseFlowFile('f.txt', '\n# nothing\n'), { instanceOf: CliUsageError, message: /f.txt holds no flows/ });
});

test('flow/del and flow/get take ufids, with or without "ufid:" and a trailing comma', (t) => {
  t.deepEqual(parse('flow/del', [UFID, `ufid:${UFID.toUpperCase()},`]), { ufids: [UFID, UFID.toUpperCase()] });
  t.deepEqual(parse('flow/get', [`ufid:${UFID}`]), { ufid: UFID });
  t.throws(() => parse('flow/del', []), { instanceOf: CliUsageError, message: /needs at least one UFID/ });
  t.throws(() => parse('flow/del', [UFID, 'nope']), { instanceOf: CliUsageError, message: /"nope" is not a ufid/ });
  t.throws(() => parse('flow/get', []), { instanceOf: CliUsageError, message: /exactly one UFID/ });
  t.throws(() => parse('flow/get', [UFID, UFID]), { instanceOf: CliUsageError, message: /exactly one UFID \(got 2/ });
});

test('flow/dump takes an optional type=', (t) => {
  t.is(parse('flow/dump', []), undefined);
  t.deepEqual(parse('flow/dump', ['type=offloaded']), { type: 'offloaded' });
  t.deepEqual(parse('flow/dump', ['type=non-offloaded']), { type: 'non-offloaded' });
  t.throws(() => parse('flow/dump', ['type=hw']), { instanceOf: CliUsageError, message: /type=all\|offloaded\|non-offloaded/ });
  t.throws(() => parse('flow/dump', ['offloaded']), { instanceOf: CliUsageError });
});

test('packet/inject: PORT by name or number, then a pcap file or hex frames', (t) => {
  t.deepEqual(parse('packet/inject', ['1', '00112233445566778899AABB0800', '0xffff']), { port: 1, frames: ['00112233445566778899aabb0800', 'ffff'] });
  t.deepEqual(parse('packet/inject', ['dpdk0', '00:11:22']), { port: 'dpdk0', frames: ['001122'] });
  t.deepEqual(parse('packet/inject', ['dpdk0', 'cap.pcap'], ctx({ '/work/dir/cap.pcap': '' })), { port: 'dpdk0', pcap: '/work/dir/cap.pcap' });
  t.throws(() => parse('packet/inject', ['dpdk0']), { instanceOf: CliUsageError, message: /needs PORT and then FILE.pcap or HEX/ });
  t.throws(() => parse('packet/inject', ['dpdk0', 'gone.pcap']), { instanceOf: CliUsageError, message: /gone.pcap is not a readable file/ });
  t.throws(() => parse('packet/inject', ['dpdk0', 'abc']), { instanceOf: CliUsageError, message: /"abc" is neither a pcap file nor a frame in hex/ });
  t.throws(() => parse('packet/inject', ['99999999999', '00']), { instanceOf: CliUsageError, message: /out of range/ });
  t.throws(() => parse('packet/inject', ['dpdk0', 'cap.pcap', 'deadbeef'], ctx({ '/work/dir/cap.pcap': '' })), {
    instanceOf: CliUsageError,
    message: 'packet/inject: give one pcap file or hex frames, not both ("cap.pcap" is a file)',
  });
});

test('packet/inject --pcap-out DIR, before or after the frames, resolved against the working directory', (t) => {
  t.deepEqual(parse('packet/inject', ['1', '0011', '--pcap-out', 'caps']), { port: 1, frames: ['0011'], pcapOut: '/work/dir/caps' });
  t.deepEqual(parse('packet/inject', ['--pcap-out=/tmp/c', 'dpdk0', 'cap.pcap'], ctx({ '/work/dir/cap.pcap': '' })), { port: 'dpdk0', pcap: '/work/dir/cap.pcap', pcapOut: '/tmp/c' });
  t.throws(() => parse('packet/inject', ['1', '0011', '--pcap-out']), { instanceOf: CliUsageError, message: /--pcap-out needs a DIR/ });
  t.throws(() => parse('packet/inject', ['1', '0011', '--pcap-out=']), { instanceOf: CliUsageError, message: /--pcap-out needs a DIR/ });
  t.throws(() => parse('packet/inject', ['1', '--pcap-out', 'a', '0011', '--pcap-out', 'b']), { instanceOf: CliUsageError, message: /given twice/ });
  t.throws(() => parse('packet/inject', ['1', '0011', '--pcap']), { instanceOf: CliUsageError, message: /unknown option --pcap/ });
  t.throws(() => parse('packet/inject', ['--pcap-out', 'caps', '1']), { instanceOf: CliUsageError, message: /needs PORT and then FILE.pcap or HEX/ });
});

test('log/set takes exactly one LEVEL and leaves checking it to the agent', (t) => {
  t.deepEqual(parse('log/set', ['debug']), { level: 'debug' });
  t.deepEqual(parse('log/set', ['loud']), { level: 'loud' });
  t.throws(() => parse('log/set', []), { instanceOf: CliUsageError, message: /exactly one LEVEL/ });
});
