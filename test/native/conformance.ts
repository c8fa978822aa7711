/**
 * The conformance suite of the FlowBackend interface (src/native/backend.ts), run against every
 * backend (node-serialport's testBinding pattern): test/native/soft-conformance.test.ts and
 * test/native/dpdk.test.ts call {@link testBackend}.
 *
 * It checks what holds for any backend: one outcome per element in order, elements failing on
 * their own, errors shaped like rte_flow_error, TypeError for wrong argument types, handles and
 * rule counts that stay consistent, flush and close. What a device accepts differs: the caller
 * says whether well-formed rules are accepted, or which refusal to expect (a virtual PMD refuses
 * every rule with ENOSYS).
 */
import test from 'ava';
import type { FlowBackend } from '../../src/native/backend';
import { RTE_FLOW_ERROR_TYPES, RteFlowError, errnoValue, type RteFlowErrorType } from '../../src/native/errors';
import type { RuleSpec } from '../../src/native/rule-spec';

export interface Expectations {
  /** Port that rules are created on. */
  port: number;
  /** Whether well-formed rules are accepted; else every one is refused with `refusal`. */
  acceptsRules: boolean;
  refusal?: { errnoName: string; type: RteFlowErrorType; message?: string };
}

/** Well-formed rules that a capable NIC accepts (distinct matches). */
export function sampleRules(port: number): RuleSpec[] {
  const attr = { port, group: 0, priority: 0, ingress: true };
  return [
    {
      attr,
      pattern: [
        { type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } },
        { type: 'IPV4', spec: { src: '192.168.1.2', dst: '192.168.1.8' } },
        { type: 'UDP', spec: { srcPort: 10025, dstPort: 10026 } },
        { type: 'END' },
      ],
      actions: [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }, { type: 'END' }],
    },
    {
      attr,
      pattern: [{ type: 'ETH', spec: { type: 0x86dd }, mask: { type: 0xffff } }, { type: 'IPV6', spec: { dst: '2001:db8::1' } }, { type: 'TCP' }],
      actions: [{ type: 'MARK', id: 7 }, { type: 'QUEUE', index: 0 }],
    },
    {
      attr: { ...attr, priority: 1 },
      pattern: [{ type: 'ETH', spec: { dst: '02:00:00:00:00:02' } }],
      actions: [{ type: 'DROP' }],
    },
  ];
}

/** A rule the encoder refuses (a field that IPV4 does not have). */
function malformedRule(port: number): RuleSpec {
  return {
    attr: { port, group: 0, priority: 0, ingress: true },
    pattern: [{ type: 'IPV4', spec: { ttl: 64, bogus: 1 } as never }],
    actions: [{ type: 'DROP' }],
  };
}

function assertFlowError(t: { true(v: boolean, m?: string): void; is(a: unknown, b: unknown, m?: string): void }, e: unknown): asserts e is RteFlowError {
  t.true(e instanceof RteFlowError, 'an RteFlowError');
  const err = e as RteFlowError;
  t.true((RTE_FLOW_ERROR_TYPES as readonly string[]).includes(err.type), `type ${err.type} is an rte_flow error type`);
  t.is(errnoValue(err.errnoName), err.errno, 'errnoName names errno');
  t.true(err.errno > 0, 'errno is positive');
  t.true(err.message.length > 0, 'has a message');
}

/**
 * Registers the suite.
 * @param title prefix of every test title
 * @param open opens a fresh backend (closed by the test), or returns undefined with a reason to skip
 */
export function testBackend(title: string, open: () => FlowBackend | string, expect: Expectations): void {
  const use = (t: { log(...v: unknown[]): void; pass(): void }): FlowBackend | undefined => {
    const b = open();
    if (typeof b === 'string') {
      t.log(`skipped: ${b}`);
      t.pass();
      return undefined;
    }
    return b;
  };
  const { port } = expect;

  test(`${title}: ports() lists the port rules go to`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const ports = b.ports();
      t.true(ports.some((p) => p.id === port), `port ${port} is listed`);
      for (const p of ports) {
        t.true(Number.isInteger(p.id) && p.id >= 0);
        t.is(typeof p.name, 'string');
        t.is(typeof p.driver, 'string');
      }
    } finally {
      b.close();
    }
  });

  test(`${title}: validate and create agree, one outcome per element, in order`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const rules = sampleRules(port);
      const batch = [rules[0], malformedRule(port), rules[1], rules[2]];
      const checked = b.validate(batch);
      const created = b.create(batch);
      t.is(checked.length, 4);
      t.is(created.length, 4);
      // the malformed element fails on its own, with the encoder's error naming the field
      for (const r of [checked[1], created[1]]) {
        t.false(r.ok);
        if (!r.ok) {
          assertFlowError(t, r.error);
          t.is(r.error.errnoName, 'EINVAL');
          t.is(r.error.type, 'ITEM_SPEC');
          t.is(r.error.position, 0);
          t.regex(r.error.message, /bogus/);
        }
      }
      for (const i of [0, 2, 3]) {
        t.is(checked[i].ok, expect.acceptsRules, `validate element ${i}`);
        t.is(created[i].ok, expect.acceptsRules, `create element ${i}`);
        for (const r of [checked[i], created[i]]) {
          if (r.ok) continue;
          assertFlowError(t, r.error);
          if (expect.refusal) {
            t.is(r.error.errnoName, expect.refusal.errnoName);
            t.is(r.error.type, expect.refusal.type);
            if (expect.refusal.message !== undefined) t.is(r.error.message, expect.refusal.message);
          }
        }
      }
      const handles = created.flatMap((r) => (r.ok ? [r.handle] : []));
      t.is(new Set(handles).size, handles.length, 'handles are distinct');
      for (const h of handles) t.true(Number.isInteger(h) && h > 0 && h <= 0xffffffff);
      t.is(b.ruleCount(port), handles.length);
    } finally {
      b.close();
    }
  });

  test(`${title}: createInto agrees with create: a handle or 0 per element, failures by index`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const rules = sampleRules(port);
      // Same batch as above, through create() on one side and createInto() after a flush.
      const batch = [rules[0], malformedRule(port), rules[1], rules[2]];
      const created = b.create(batch);
      b.flush(port);
      const out = new Uint32Array(6).fill(0xdead);
      const failures = b.createInto(batch, out);
      t.is(out[4], 0xdead, 'elements past the batch are left alone');
      t.is(out[5], 0xdead);
      for (let i = 0; i < batch.length; i++) {
        const r = created[i];
        const failure = failures?.get(i);
        if (r.ok) {
          t.true(out[i] > 0, `element ${i} has a handle`);
          t.is(failure, undefined);
        } else {
          t.is(out[i], 0, `element ${i} failed: handle 0`);
          assertFlowError(t, failure);
          t.is(failure.type, r.error.type);
          t.is(failure.errnoName, r.error.errnoName);
          t.is(failure.message, r.error.message);
        }
      }
      t.is(failures?.size ?? 0, created.filter((r) => !r.ok).length, 'one failure per failed element');
      const handles = Array.from(out.subarray(0, 4)).filter((h) => h !== 0);
      t.is(b.ruleCount(port), handles.length);
      t.true(b.destroy(handles).every((r) => r.ok), 'the handles are live rules');
      // every rule encoded (no position mapping): the handles land in place
      const good = [rules[0], rules[1], rules[2]];
      const direct = new Uint32Array(3);
      const none = b.createInto(good, direct);
      if (expect.acceptsRules) {
        t.is(none, undefined);
        t.true(direct.every((h) => h > 0));
      } else {
        t.is(none?.size, 3);
        t.true(direct.every((h) => h === 0));
      }
      t.throws(() => b.createInto(good, new Uint32Array(2)), { instanceOf: RangeError });
      t.throws(() => b.createInto(good, [0, 0, 0] as never), { instanceOf: TypeError });
    } finally {
      b.close();
    }
  });

  test(`${title}: destroy and query fail per element for handles that are not rules`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const created = b.create(sampleRules(port));
      const live = created.flatMap((r) => (r.ok ? [r.handle] : []));
      const bogus = [0x7fffffff, 12345, -1, 1.5];
      const queried = b.query([...live, ...bogus]);
      t.is(queried.length, live.length + bogus.length);
      for (const r of queried.slice(live.length)) {
        t.false(r.ok);
        if (!r.ok) {
          assertFlowError(t, r.error);
          t.is(r.error.type, 'HANDLE');
        }
      }
      const destroyed = b.destroy([...bogus, ...live]);
      t.is(destroyed.length, bogus.length + live.length);
      for (const r of destroyed.slice(0, bogus.length)) {
        t.false(r.ok);
        if (!r.ok) t.is(r.error.type, 'HANDLE');
      }
      for (const r of destroyed.slice(bogus.length)) t.true(r.ok);
      t.is(b.ruleCount(port), 0);
      // destroyed handles are gone
      const again = b.destroy(live);
      for (const r of again) t.false(r.ok);
    } finally {
      b.close();
    }
  });

  test(`${title}: counters of a COUNT rule start at zero and reset`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const [created] = b.create([sampleRules(port)[0]]);
      if (!expect.acceptsRules) {
        t.false(created.ok);
        return;
      }
      if (!created.ok) return t.fail(created.error.message);
      const [q] = b.query([created.handle], { reset: true });
      t.deepEqual(q, { ok: true, counters: { hits: 0, bytes: 0 } });
    } finally {
      b.close();
    }
  });

  test(`${title}: queryInto agrees with query, marks failures with NaN and counts them`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const created = b.create(sampleRules(port));
      const live = created.flatMap((r) => (r.ok ? [r.handle] : []));
      const handles = Uint32Array.from([...live, 0x7fffffff, 12345]);
      const out = new Float64Array(handles.length * 2).fill(-1);
      const failed = b.queryInto(handles, false, out);
      const queried = b.query(handles);
      t.is(failed, queried.filter((r) => !r.ok).length);
      t.true(failed >= 2);
      queried.forEach((r, i) => {
        if (r.ok) t.deepEqual([out[2 * i], out[2 * i + 1]], [r.counters.hits, r.counters.bytes], `element ${i}`);
        else t.true(Number.isNaN(out[2 * i]) && Number.isNaN(out[2 * i + 1]), `element ${i}`);
      });
      t.throws(() => b.queryInto(handles, false, new Float64Array(handles.length * 2 - 1)), { instanceOf: RangeError });
      t.throws(() => b.queryInto([1] as never, false, out), { instanceOf: TypeError });
      t.is(b.queryInto(new Uint32Array(0), true, out), 0);
    } finally {
      b.close();
    }
  });

  test(`${title}: flush removes every rule of the port and says how many`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const created = b.create(sampleRules(port)).filter((r) => r.ok).length;
      t.is(b.flush(port), created);
      t.is(b.ruleCount(port), 0);
      t.is(b.flush(port), 0);
      const err = t.throws(() => b.flush(4000), { instanceOf: RteFlowError });
      t.is(err?.errnoName, 'ENODEV');
    } finally {
      b.close();
    }
  });

  test(`${title}: wrong argument types are TypeErrors, never crashes`, (t) => {
    const b = use(t);
    if (!b) return;
    try {
      const calls: Array<() => unknown> = [
        () => b.create(null as never),
        () => b.validate('rules' as never),
        () => b.destroy('1' as never),
        () => b.query({} as never),
        () => b.flush('0' as never),
        () => b.flush(-1),
        () => b.ruleCount(1.5),
      ];
      for (const call of calls) t.throws(call, { instanceOf: TypeError });
      // elements of the wrong shape fail alone
      const out = b.create([null, 'x', { attr: {}, pattern: [], actions: [] }] as never);
      t.is(out.length, 3);
      for (const r of out) {
        t.false(r.ok);
        if (!r.ok) t.is(r.error.errnoName, 'EINVAL');
      }
    } finally {
      b.close();
    }
  });

  test(`${title}: a closed backend refuses calls; close is idempotent`, (t) => {
    const b = use(t);
    if (!b) return;
    b.create(sampleRules(port));
    b.close();
    b.close();
    t.throws(() => b.create(sampleRules(port)), { message: /closed/ });
    t.throws(() => b.ruleCount(port), { message: /closed/ });
  });
}
