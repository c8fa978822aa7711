/**
 * The offload methods on a real control socket (in-process server and client): results satisfy
 * schema/control-api.schema.json, errors carry their codes, and the CLI formats them.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatFlowFlush, formatFlowGet, formatOffloadStats } from '../../src/cli/formatters';
import { ControlClient, ControlError, ControlServer, validateResult } from '../../src/control';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine, OffloadErrorCode, registerOffloadMethods } from '../../src/offload';
import type { OffloadMethodsOptions } from '../../src/offload/control-methods';
import { EXAMPLE_MATCH, portMap, udpFrame } from './helpers';

const UFID = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';

/**
 * An engine on a fresh full-profile soft NIC (dpdk0 = odp 1 on hw-port-id 0, dpdk1 = odp 2 on 1)
 * behind a control server on a private socket, and a client; all stopped and removed at teardown.
 */
async function offloadServer(t: ExecutionContext, options?: OffloadMethodsOptions): Promise<{ dir: string; nic: SoftNicBackend; engine: OffloadEngine; client: ControlClient }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwoff-'));
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }, { dpdk0: 1, dpdk1: 2 }) });
  const server = new ControlServer({ socketPath: path.join(dir, 'ctl') });
  registerOffloadMethods(server, () => engine, options);
  await server.start();
  const client = await ControlClient.connect(server.socketPath);
  t.teardown(async () => {
    client.close();
    await server.stop();
    nic.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir, nic, engine, client };
}

test('every offload method answers with a result its schema accepts', async (t) => {
  const { dir, nic, engine, client } = await offloadServer(t);
  const check = (method: string, result: unknown): void => {
    const v = validateResult(method, result);
    t.true(v.ok, `${method}: ${v.ok ? '' : v.message}`);
  };
  const put = await client.call('flow/put', { flows: [{ ufid: UFID, match: EXAMPLE_MATCH, actions: '2' }, `ct_state(0x21/0x21),in_port(2),eth_type(0x0806), actions:1`] });
  check('flow/put', put);
  t.deepEqual(put, { flows: [{ ufid: UFID, state: 'offloaded', flowId: 0, mark: 1 }, { ufid: (put as { flows: Array<{ ufid: string }> }).flows[1].ufid, state: 'software', reason: 'ct_state' }] });

  const frame = udpFrame({ src: '192.168.1.2', dst: '192.168.1.8', sport: 10025, dport: 10026 });
  const inj = await client.call('packet/inject', { port: 1, frames: [Buffer.from(frame).toString('hex')] });
  check('packet/inject', inj);
  t.deepEqual(inj, { packets: [{ hit: true, ufid: UFID, mark: 1, outPort: 2 }], hits: 1, misses: 0, outputs: { 2: 1 } });
  const caps = path.join(dir, 'caps');
  const injOut = await client.call('packet/inject', { port: 1, frames: [Buffer.from(frame).toString('hex'), '00112233445566778899aabb0800'], pcapOut: caps });
  check('packet/inject', injOut);
  t.deepEqual((injOut as { written: unknown }).written, [
    { port: 2, file: path.join(caps, 'port-2.pcap'), frames: 1 },
    { port: 'miss', file: path.join(caps, 'miss.pcap'), frames: 1 },
  ]);
  const badOut = await t.throwsAsync(client.call('packet/inject', { port: 1, frames: ['00'], pcapOut: path.join(caps, 'port-2.pcap') }), { instanceOf: ControlError });
  t.is(badOut?.code, OffloadErrorCode.InjectFailed);
  t.deepEqual(badOut?.data, { pcapOut: path.join(caps, 'port-2.pcap') });
  t.regex(badOut?.message ?? '', /port-2\.pcap: it is not a directory/);
  engine.sweep();

  const get = await client.call('flow/get', { ufid: UFID });
  check('flow/dump', { flows: [get] });
  t.regex(formatFlowGet(get), new RegExp(`^ufid: ${UFID}\\nmatch: ${EXAMPLE_MATCH.replace(/[()]/g, '\\$&')}\\nactions: 2\\nstate: offloaded\\nflow_id: 0, mark: 0x1\\ndevice: 0, variant: count\\nrule: flow create 0 .* mark id 1 / end\\nstats: packets: 2, bytes: ${2 * frame.length}, used: \\d+\\.\\d{3}s \\(hw\\)$`));

  check('flow/dump', await client.call('flow/dump', { type: 'non-offloaded' }));
  const stats = await client.call('offload/stats');
  check('offload/stats', stats);
  const text = formatOffloadStats(stats);
  t.regex(text, /^flows: 2 \(offloaded: 1, software: 1, pending: 0\)\nflow_id pool: 1 of 65536 in use\n/);
  t.regex(text, /\n {2}count +1 +1 +0\n/);
  t.regex(text, /\n {2}device 0: 1 offloaded, learned variant count\n/);

  const notFound = await t.throwsAsync(client.call('flow/get', { ufid: '2de117b4-df58-4ca7-a3da-f84eb3479ea0' }), { instanceOf: ControlError });
  t.is(notFound?.code, OffloadErrorCode.FlowNotFound);
  const badPcap = await t.throwsAsync(client.call('packet/inject', { port: 'dpdk0', pcap: path.join(dir, 'none.pcap') }), { instanceOf: ControlError });
  t.is(badPcap?.code, OffloadErrorCode.InjectFailed);
  t.regex(badPcap?.message ?? '', /cannot read .*none\.pcap: ENOENT/);
  const noHw = await t.throwsAsync(client.call('packet/inject', { port: 7, frames: ['00'] }), { instanceOf: ControlError });
  t.regex(noHw?.message ?? '', /port 7 \(odp port 7\) has no hw-port-id/);

  const flush = await client.call('flow/flush');
  check('flow/flush', flush);
  t.is(formatFlowFlush(flush), 'removed 2 flows');
  t.is(nic.ruleCount(0), 0);
});

test('with a read-only flow source, flow/put, flow/del and flow/flush are refused and change nothing; reads still work', async (t) => {
  const { nic, engine, client } = await offloadServer(t, { readOnlyFlowSource: 'vswitchd:/run/ovs-vswitchd.ctl' });
  engine.put([{ ufid: UFID, match: EXAMPLE_MATCH, actions: '2' }]);
  const writes: Array<[string, unknown]> = [
    ['flow/put', { flows: [{ match: EXAMPLE_MATCH.replace('10025', '10027'), actions: '2' }] }],
    ['flow/del', { ufids: [UFID] }],
    ['flow/flush', undefined],
  ];
  for (const [method, params] of writes) {
    const err = await t.throwsAsync(client.call(method, params), { instanceOf: ControlError });
    t.is(err?.code, OffloadErrorCode.FlowsReadOnly, method);
    t.is(err?.message, `${method} is refused: the flows come from vswitchd:/run/ovs-vswitchd.ctl (--flow-source); change them there, e.g. with ovs-appctl dpctl/del-flows`);
    t.deepEqual(err?.data, { flowSource: 'vswitchd:/run/ovs-vswitchd.ctl' });
  }
  t.deepEqual(engine.dump().map((f) => [f.ufid, f.state]), [[UFID, 'offloaded']], 'the table is as before');
  t.is(nic.ruleCount(0), 1);
  const dump = await client.call<{ flows: Array<{ ufid: string }> }>('flow/dump', {});
  t.deepEqual(dump.flows.map((f) => f.ufid), [UFID]);
});
