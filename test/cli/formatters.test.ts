import test from 'ava';
import { readable, duration, table } from '../../src/cli/format';
import { formatAgentShow, formatFlowDel, formatFlowDump, formatFlowPut, formatLogSet, formatPacketInject, formatPortsShow } from '../../src/cli/formatters';

const U1 = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const U2 = '44ed05c8-c599-44db-a50a-70e47fd4cd01';

test('ports/show: a table, then the map sorted by hw-port-id', (t) => {
  const text = formatPortsShow({
    ports: [
      { name: 'dpdk0', type: 'dpdk', uuid: 'a', odpPort: 1, hwPortId: 10, state: 'ready' },
      { name: 'eth1', type: '', uuid: 'b', odpPort: 7, hwPortId: null, state: 'disabled', reason: 'type system is not offloaded' },
      { name: 'p2', type: 'dpdk', uuid: 'c', odpPort: 2, hwPortId: 2, state: 'ready' },
    ],
    hwLocalPortMap: { '10': 1, '2': 2 },
  });
  t.is(
    text,
    [
      'NAME   TYPE    ODP PORT  HW-PORT-ID  STATE     REASON',
      'dpdk0  dpdk    1         10          ready',
      'eth1   system  7         -           disabled  type system is not offloaded',
      'p2     dpdk    2         2           ready',
      'hw_local_port_map:',
      '  hw-port-id 2 -> odp port 2',
      '  hw-port-id 10 -> odp port 1',
    ].join('\n'),
  );
  t.is(formatPortsShow({ ports: [], hwLocalPortMap: {} }), 'no interfaces\nhw_local_port_map: empty');
});

test('ports/show: a DPDK PORT column when an interface reports its DPDK port id', (t) => {
  const text = formatPortsShow({
    ports: [
      { name: 'dpdk0', type: 'dpdk', uuid: 'a', odpPort: 1, hwPortId: 0, dpdkPortId: 2, state: 'ready' },
      { name: 'p2', type: 'dpdk', uuid: 'c', odpPort: 2, hwPortId: 1, state: 'ready' },
    ],
    hwLocalPortMap: { '0': 1, '1': 2 },
  });
  t.is(
    text.split('\n').slice(0, 3).join('\n'),
    ['NAME   TYPE  ODP PORT  HW-PORT-ID  DPDK PORT  STATE  REASON', 'dpdk0  dpdk  1         0           2          ready', 'p2     dpdk  2         1           -          ready'].join('\n'),
  );
});

test('agent/show: the mirror of ovs-vswitchd gets its own lines, with the last poll timings', (t) => {
  const text = formatAgentShow({
    version: '0.1.0',
    uptimeSeconds: 2,
    backend: 'soft',
    db: { remote: 'unix:/a', state: 'synced' },
    mirror: {
      kind: 'vswitchd',
      ctlPath: '/run/ovs-vswitchd.ctl',
      state: 'disconnected',
      datapath: 'netdev@ovs-netdev',
      pollIntervalMs: 500,
      flows: 12,
      ports: 5,
      polls: 40,
      lastPoll: '2026-11-25T20:42:41.674Z',
      lastPollTimings: { showMs: 0.554683, dumpMs: 123.4567, diffMs: 0.039819, applyMs: 0.004337, totalMs: 124.1 },
      connections: 2,
      changes: { added: 20, modified: 1, deleted: 8 },
      rejected: 0,
      lastError: 'connection refused',
    },
  });
  t.is(
    text.slice(text.indexOf('\nmirror:') + 1),
    [
      'mirror: ovs-vswitchd /run/ovs-vswitchd.ctl, disconnected, datapath netdev@ovs-netdev',
      '  polls: 40 every 500 ms, last 2026-11-25T20:42:41.674Z (took 124 ms: dpctl/show 0.55, dump-flows 123, diff 0.04, apply 0.00)',
      '  flows: 12, datapath ports: 5, connections: 2',
      '  changes: 20 added, 1 modified, 8 deleted; 0 rejected',
      '  error: connection refused',
    ].join('\n'),
  );
  t.regex(formatAgentShow({ version: '1', uptimeSeconds: 1, backend: 'soft', db: { remote: 'unix:/a', state: 'synced' }, mirror: 'odd' }), /^mirror: odd$/m);
});

test('agent/show: headline, backend, db session; unknown fields are still shown', (t) => {
  const text = formatAgentShow({
    version: '0.1.0',
    pid: 99,
    uptimeSeconds: 3723.4,
    backend: 'soft',
    profile: 'xl710',
    flowSource: 'api',
    ctlSocket: '/run/x.ctl',
    db: { remote: 'unix:/a,tcp:127.0.0.1:6640', state: 'synced', connected: true, currentRemote: 'tcp:127.0.0.1:6640', clustered: true, leader: true, txnId: 'abc', monitorMethod: 'monitor_cond_since' },
    flows: { offloaded: 3 },
  });
  t.is(
    text,
    [
      'ovs-hwol-agent 0.1.0 (pid 99), up 1h 02m 03s',
      'backend: soft, profile xl710',
      'flow source: api',
      'control socket: /run/x.ctl',
      'db: unix:/a,tcp:127.0.0.1:6640',
      '  state: synced, connected to tcp:127.0.0.1:6640, clustered, leader',
      '  txn id: abc',
      '  monitor: monitor_cond_since',
      'flows:',
      '  offloaded: 3',
    ].join('\n'),
  );
  t.is(formatAgentShow({ version: '1', uptimeSeconds: 5, backend: 'dpdk', db: { remote: 'unix:/x', state: 'backoff', connected: false, error: 'ECONNREFUSED' } }), [
    'ovs-hwol-agent 1, up 5s',
    'backend: dpdk',
    'db: unix:/x',
    '  state: backoff, not connected',
    '  error: ECONNREFUSED',
  ].join('\n'));
});

test('log/set, flow/put, flow/del, packet/inject', (t) => {
  t.is(formatLogSet({ previous: 'info' }, { level: 'debug' }), 'log level: debug (was info)');
  t.is(
    formatFlowPut({ flows: [{ ufid: U1, state: 'offloaded', flowId: 1, mark: 65539 }, { ufid: U2, state: 'software', reason: 'ct_state is not offloadable' }] }),
    `ufid:${U1} offloaded (flow_id 1, mark 0x10003)\nufid:${U2} software: ct_state is not offloadable`,
  );
  t.is(formatFlowDel({ flows: [{ ufid: U1, deleted: true }, { ufid: U2, deleted: false }] }), `ufid:${U1} deleted\nufid:${U2} not found`);
  t.is(
    formatPacketInject({ packets: [{ hit: true, ufid: U1, mark: 65539, outPort: 3 }, { hit: false }], hits: 1, misses: 1 }),
    `packet 1: hit ufid:${U1}, mark 0x10003, output 3\npacket 2: miss\nhits: 1, misses: 1`,
  );
  const written = [{ port: 3, file: '/c/port-3.pcap', frames: 1 }, { port: 'miss', file: '/c/miss.pcap', frames: 2 }];
  t.is(
    formatPacketInject({ packets: [{ hit: true, outPort: 3 }, { hit: false }, { hit: false }], hits: 1, misses: 2, written }),
    'packet 1: hit output 3\npacket 2: miss\npacket 3: miss\nhits: 1, misses: 2\nwrote /c/port-3.pcap: 1 frame to port 3\nwrote /c/miss.pcap: 2 frames that missed',
  );
  t.is(formatPacketInject({ packets: [{ hit: true, outPort: 'drop' }], hits: 1, misses: 0, written: [] }), 'packet 1: hit output drop\nhits: 1, misses: 0\nwrote no capture file: no frame reached an output port or missed');
});

test('flow/dump in dump-flows style, ending with offloaded, dp and actions', (t) => {
  const records = [
    { ufid: U1, match: 'in_port(1),eth_type(0x0800)', actions: '2', state: 'offloaded', stats: { packets: 10, bytes: 640, used: '0.5s' } },
    { ufid: U2, match: 'in_port(2)', actions: 'drop', state: 'software', reason: 'x' },
  ];
  const expected = [
    `ufid:${U1}, in_port(1),eth_type(0x0800), packets:10, bytes:640, used:0.5s, offloaded:yes, dp:hw, actions:2`,
    `ufid:${U2}, in_port(2), packets:0, bytes:0, offloaded:no, dp:ovs, actions:drop`,
  ].join('\n');
  t.is(formatFlowDump(records), expected);
  t.is(formatFlowDump({ flows: records }), expected);
  t.is(formatFlowDump([]), 'no flows');
});

test('results of an unexpected shape fall back to readable text instead of failing', (t) => {
  t.is(formatPortsShow({ weird: true }), 'weird: true');
  t.is(formatAgentShow('up'), 'up');
  t.is(formatFlowPut(3), '3');
  t.is(formatLogSet(null, { level: 'x' }), '-');
});

test('readable text of nested values, tables and durations', (t) => {
  t.is(readable({ removed: 3 }), 'removed: 3');
  t.is(
    readable({ counts: { offloaded: 2, software: 1 }, devices: [{ port: 0, variant: 'count' }, { port: 1, variant: 'queue' }], tags: ['a', 'b'], empty: [] }),
    ['counts:', '  offloaded: 2', '  software: 1', 'devices:', '  - port: 0', '    variant: count', '  - port: 1', '    variant: queue', 'tags: a, b', 'empty: (none)'].join('\n'),
  );
  t.is(table(['A', 'BB'], [['xxx', 'y'], ['', 'zz']]), 'A    BB\nxxx  y\n     zz');
  t.is(duration(0), '0s');
  t.is(duration(61), '1m 01s');
  t.is(duration(90061), '1d 01h 01m 01s');
});
