/**
 * The MARK id layout (DESIGN.md §1): (flow_id << 16) | hw_port_id, or (flow_id << 16) | 0x8000 |
 * odp_port when the output has no hw-port-id; the receiving side decodes it with hw_local_port_map.
 */
import test from 'ava';
import fc from 'fast-check';
import {
  decodeMark, encodeMark, FLOW_ID_ODP_PORT_BIT, FLOW_ID_PORT_MASK, MarkError, MAX_FLOW_ID, TranslateUsageError, translateFlow,
} from '../../../src/flows/translate';
import { flow, offload, ports } from './helpers';

test('the layout constants', (t) => {
  t.is(MAX_FLOW_ID, 65535);
  t.is(FLOW_ID_ODP_PORT_BIT, 0x8000);
  t.is(FLOW_ID_PORT_MASK, 0x7fff);
});

test('encodeMark: both forms, including the largest flow_id (an unsigned 32-bit result)', (t) => {
  t.is(encodeMark(1, { hwPortId: 1 }), 0x00010001);
  t.is(encodeMark(1, { odpPort: 2 }), 0x00018002);
  t.is(encodeMark(0, { hwPortId: 0 }), 0);
  t.is(encodeMark(0xffff, { hwPortId: 0x7fff }), 0xffff7fff);
  t.is(encodeMark(0xffff, { odpPort: 0x7fff }), 0xffffffff);
  t.is(encodeMark(0x8000, { odpPort: 100 }), 0x80008064);
});

test('encodeMark refuses values outside the layout', (t) => {
  for (const [flowId, target] of [
    [65536, { hwPortId: 0 }], [-1, { hwPortId: 0 }], [1.5, { hwPortId: 0 }],
    [1, { hwPortId: 0x8000 }], [1, { odpPort: 0x8000 }], [1, { odpPort: -1 }], [1, { hwPortId: NaN }],
  ] as const) {
    t.throws(() => encodeMark(flowId, target), { instanceOf: MarkError });
  }
});

test('decodeMark: a hw-port-id goes through hw_local_port_map, an odp port is taken as is', (t) => {
  const map = { 0: 1, 1: 2, 3: 17 };
  t.deepEqual(decodeMark(0x00010001, map), { flowId: 1, outPort: 2, hwPortId: 1 });
  t.deepEqual(decodeMark(0x00070003, map), { flowId: 7, outPort: 17, hwPortId: 3 });
  t.deepEqual(decodeMark(0x00018002, map), { flowId: 1, outPort: 2, hwPortId: undefined });
  t.deepEqual(decodeMark(0xffffffff, map), { flowId: 0xffff, outPort: 0x7fff, hwPortId: undefined });
  // A hw-port-id the map does not have: the flow is known, the output is not.
  t.deepEqual(decodeMark(0x00020005, map), { flowId: 2, outPort: undefined, hwPortId: 5 });
  // A Map works too.
  t.deepEqual(decodeMark(0x00010003, new Map([[3, 17]])), { flowId: 1, outPort: 17, hwPortId: 3 });
});

test('decodeMark refuses what is not an unsigned 32-bit integer', (t) => {
  for (const bad of [-1, 2 ** 32, 1.5, NaN]) t.throws(() => decodeMark(bad, {}), { instanceOf: MarkError });
});

test('property: decodeMark(encodeMark(...)) gives back the flow_id and the output port', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0x7fff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.boolean(),
      (flowId, port, odpOfHw, viaHw) => {
        const map = new Map([[port, odpOfHw]]);
        const mark = encodeMark(flowId, viaHw ? { hwPortId: port } : { odpPort: port });
        const d = decodeMark(mark, map);
        return mark >= 0 && mark <= 0xffffffff && d.flowId === flowId && d.outPort === (viaHw ? odpOfHw : port) && d.hwPortId === (viaHw ? port : undefined);
      },
    ),
  );
  t.pass();
});

test('property: translated flows carry a mark that decodes to their flow_id and output odp port', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 1, max: 0x7fff }),
      fc.option(fc.integer({ min: 0, max: 0x7ffd }), { nil: undefined }), // the input port holds 0x7ffe
      (flowId, outOdp, outHw) => {
        const hw: Record<number, number> = { 0: 0x7ffe };
        if (outHw !== undefined) hw[outOdp] = outHw;
        const p = ports(hw);
        const r = translateFlow(flow('in_port(0),eth_type(0x0800)', String(outOdp)), p, { flowId });
        if (!r.ok || r.mark === null) return false;
        const map = new Map(Object.entries(hw).map(([odp, id]) => [id, Number(odp)]));
        const d = decodeMark(r.mark, map);
        return d.flowId === flowId && d.outPort === outOdp && d.hwPortId === outHw && r.rule.actions[0].type === 'MARK';
      },
    ),
  );
  t.pass();
});

test('translateFlow: the output\'s hw-port-id when it has one, else the odp port with bit 0x8000', (t) => {
  const withHw = offload(t, flow('in_port(1),eth_type(0x0800)', '2'), { flowId: 5 }, ports({ 1: 0, 2: 9 }));
  t.is(withHw.mark, (5 << 16) | 9);
  t.deepEqual(withHw.rule.actions, [{ type: 'MARK', id: (5 << 16) | 9 }, { type: 'END' }]);
  t.deepEqual(withHw.outPort, { odpPort: 2, hwPortId: 9 });
  const noHw = offload(t, flow('in_port(1),eth_type(0x0800)', '100'), { flowId: 5 }, ports({ 1: 0 }));
  t.is(noHw.mark, (5 << 16) | 0x8000 | 100);
  t.deepEqual(noHw.outPort, { odpPort: 100, hwPortId: undefined });
});

test('translateFlow: a flow_id outside 0..65535 is a usage error, not a reason', (t) => {
  for (const flowId of [-1, 65536, 0.5, NaN]) {
    t.throws(() => translateFlow(flow('in_port(1),eth_type(0x0800)', '2'), ports(), { flowId }), { instanceOf: TranslateUsageError });
  }
});
