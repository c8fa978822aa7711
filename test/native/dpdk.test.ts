/**
 * The dpdk backend for real: EAL inside this Node process (no hugepages), net_null and net_pcap
 * ports, and the refusal every virtual PMD gives to rte_flow, as a typed error. EAL can be
 * initialised once per process, so every dpdk test lives in this file (ava runs each file in its
 * own process). Skipped, with the reason logged, when the addon was built without DPDK.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { waitFor } from '../../src/sandbox/processes';
import { DpdkBackend, dpdkAvailable, initEal } from '../../src/native/dpdk-backend';
import { DpdkError, RteFlowError } from '../../src/native/errors';
import type { RuleSpec } from '../../src/native/rule-spec';
import { testBackend } from './conformance';

const PREFIX = `ovs-hwol-test-${process.pid}`;
const EAL_ARGS = ['--no-huge', '-m', '512', '--no-pci', `--file-prefix=${PREFIX}`, '--vdev=net_null0', '--log-level=*:warning'];
const available = dpdkAvailable();
const SKIP = 'the addon was built without the dpdk backend (pkg-config did not find libdpdk, or OVS_HWOL_NO_DPDK=1)';

function threadStatus(tid: string): Record<string, string> {
  const text = fs.readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  return Object.fromEntries(text.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

// Measured before EAL starts: the JS thread's CPUs.
const cpusBefore = threadStatus(String(process.pid)).Cpus_allowed_list;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hwol-dpdk-'));

function backend(): DpdkBackend {
  return new DpdkBackend({ ealArgs: EAL_ARGS });
}

test.after.always(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  // EAL's runtime files for this process's --file-prefix
  for (const dir of ['/var/run/dpdk', path.join(process.env.XDG_RUNTIME_DIR ?? '/tmp', 'dpdk')]) {
    fs.rmSync(path.join(dir, PREFIX), { recursive: true, force: true });
  }
});

test.serial('EAL starts inside Node with the main lcore floating over the CPUs Node had', (t) => {
  if (!available) return t.log(`skipped: ${SKIP}`), t.pass();
  const info = initEal(EAL_ARGS);
  t.deepEqual(info.args.slice(0, EAL_ARGS.length + 1), ['ovs-hwol', ...EAL_ARGS]);
  t.true(info.args.includes(`--lcores=0@(${cpusBefore})`), info.args.join(' '));
  t.is(info.args.filter((a) => a.startsWith('--file-prefix=')).length, 1, 'the given --file-prefix is kept, none added');
  t.is(info.mainLcore, 0);
  t.is(info.lcoreCount, 1);
  t.is(threadStatus(String(process.pid)).Cpus_allowed_list, cpusBefore, 'the JS thread keeps its CPUs');
  t.is(initEal(EAL_ARGS), info, 'the same arguments again: the same EAL');
  const err = t.throws(() => initEal(['--no-huge']), { instanceOf: DpdkError });
  t.is(err?.errnoName, 'EALREADY');
  t.regex(err?.message ?? '', /once per process/);
});

test.serial('EAL threads block every asynchronous signal; Node still gets its signals, timers and children', async (t) => {
  if (!available) return t.log(`skipped: ${SKIP}`), t.pass();
  initEal(EAL_ARGS);
  const eal = fs.readdirSync('/proc/self/task').map((tid) => threadStatus(tid)).filter((s) => /^(eal-|rte_|telemetry)/.test(s.Name));
  t.true(eal.length >= 2, `EAL threads: ${eal.map((s) => s.Name).join(', ')}`);
  for (const s of eal) {
    const blocked = BigInt(`0x${s.SigBlk}`);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGCHLD', 'SIGHUP', 'SIGPIPE', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const) {
      const n = BigInt(os.constants.signals[sig]);
      t.is((blocked >> (n - 1n)) & 1n, 1n, `${s.Name} blocks ${sig}`);
    }
  }
  let got = false;
  const handler = (): void => {
    got = true;
  };
  process.on('SIGUSR2', handler);
  try {
    process.kill(process.pid, 'SIGUSR2');
    await waitFor('SIGUSR2 to reach the JS handler', () => got, 5000);
  } finally {
    process.off('SIGUSR2', handler);
  }
  t.true(got);
  t.is(spawnSync('true').status, 0, 'child processes are reaped (SIGCHLD)');
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  t.pass();
});

if (available) {
  testBackend('dpdk on net_null0', () => backend(), {
    port: 0,
    acceptsRules: false,
    refusal: { errnoName: 'ENOSYS', type: 'UNSPECIFIED', message: 'Function not implemented' },
  });
} else {
  test('dpdk conformance', (t) => {
    t.log(`skipped: ${SKIP}`);
    t.pass();
  });
}

const RULE: RuleSpec = {
  attr: { port: 0, group: 0, priority: 0, ingress: true },
  pattern: [{ type: 'ETH', spec: { type: 0x0800 }, mask: { type: 0xffff } }, { type: 'IPV4', spec: { src: '10.0.0.1', dst: '10.0.0.2' } }, { type: 'UDP' }],
  actions: [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }, { type: 'QUEUE', index: 0 }],
};

test.serial('net_null: ports are probed from devargs, looked up by name, started and detached', (t) => {
  if (!available) return t.log(`skipped: ${SKIP}`), t.pass();
  const b = backend();
  try {
    t.deepEqual(b.ports().find((p) => p.name === 'net_null0'), { id: 0, name: 'net_null0', driver: 'net_null' });
    const p = b.probe('net_null7');
    t.is(p.name, 'net_null7');
    t.is(p.driver, 'net_null');
    t.is(b.portByName('net_null7'), p.id);
    t.is(b.portByName('net_null99'), undefined);
    t.deepEqual(b.probe('net_null7'), p, 'probing an existing device returns its port');
    b.startPort(p.id, { rx: 2, tx: 2 });
    const [refused] = b.create([{ ...RULE, attr: { ...RULE.attr, port: p.id } }]);
    t.false(refused.ok);
    if (!refused.ok) {
      t.true(refused.error instanceof RteFlowError);
      t.is(refused.error.errnoName, 'ENOSYS');
      t.is(refused.error.message, 'Function not implemented');
    }
    b.detach(p.id);
    t.is(b.portByName('net_null7'), undefined);
    t.false(b.ports().some((q) => q.name === 'net_null7'));
  } finally {
    b.close();
  }
});

test.serial('net_pcap: a pcap-file port refuses rte_flow with the same typed error', (t) => {
  if (!available) return t.log(`skipped: ${SKIP}`), t.pass();
  // a pcap file with one 60-byte frame
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const record = Buffer.alloc(16);
  record.writeUInt32LE(60, 8);
  record.writeUInt32LE(60, 12);
  const rx = path.join(tmp, 'rx.pcap');
  fs.writeFileSync(rx, Buffer.concat([header, record, Buffer.alloc(60)]));
  const b = backend();
  try {
    const p = b.probe(`net_pcap0,rx_pcap=${rx},tx_pcap=${path.join(tmp, 'tx.pcap')}`);
    t.is(p.name, 'net_pcap0');
    t.is(p.driver, 'net_pcap');
    const [checked] = b.validate([{ ...RULE, attr: { ...RULE.attr, port: p.id } }]);
    t.false(checked.ok);
    if (!checked.ok) t.deepEqual([checked.error.type, checked.error.errnoName, checked.error.message], ['UNSPECIFIED', 'ENOSYS', 'Function not implemented']);
    t.is(b.flush(p.id), 0, 'a PMD without rte_flow has nothing to flush');
    b.detach(p.id);
  } finally {
    b.close();
  }
});

test.serial('bad devargs and missing ports are typed errors', (t) => {
  if (!available) return t.log(`skipped: ${SKIP}`), t.pass();
  const b = backend();
  try {
    const err = t.throws(() => b.probe('net_bogus0'), { instanceOf: DpdkError });
    t.is(err?.operation, 'rte_dev_probe');
    t.regex(err?.message ?? '', /net_bogus0/);
    t.throws(() => b.startPort(999), { instanceOf: DpdkError, message: /port 999/ });
    t.throws(() => b.detach(999), { instanceOf: DpdkError });
    t.throws(() => b.probe(5 as never), { instanceOf: TypeError });
    const [r] = b.create([{ ...RULE, attr: { ...RULE.attr, port: 999 } }]);
    t.false(r.ok);
    if (!r.ok) t.is(r.error.errnoName, 'ENODEV');
    t.throws(() => b.ruleCount(999), { instanceOf: RteFlowError, message: /port 999 does not exist/ });
  } finally {
    b.close();
  }
});
