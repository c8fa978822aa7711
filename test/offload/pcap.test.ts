/** Classic pcap files, both byte orders, microsecond and nanosecond magic, and bad files. */
import test from 'ava';
import { parsePcap, PcapError, writePcap } from '../../src/offload';
import { udpFrame } from './helpers';

const F1 = udpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2 });
const F2 = udpFrame({ src: '10.0.0.3', dst: '10.0.0.4', sport: 3, dport: 4, payload: 100 });

test('frames come back in order, little- and big-endian', (t) => {
  for (const le of [true, false]) {
    const cap = parsePcap(writePcap([F1, F2], 1_700_000_000_123_456, le));
    t.is(cap.littleEndian, le);
    t.false(cap.nanoseconds);
    t.deepEqual(cap.frames.map((f) => Buffer.from(f).toString('hex')), [F1, F2].map((f) => Buffer.from(f).toString('hex')));
  }
});

test('a hand-written big-endian nanosecond header is read', (t) => {
  const header = Buffer.from('a1b23c4d00020004000000000000000000040000000000010', 'hex');
  const rec = Buffer.alloc(16);
  rec.writeUInt32BE(3, 8);
  rec.writeUInt32BE(3, 12);
  const cap = parsePcap(Buffer.concat([header.subarray(0, 24), rec, Buffer.from([1, 2, 3])]));
  t.true(cap.nanoseconds);
  t.deepEqual(Array.from(cap.frames[0]), [1, 2, 3]);
});

test('bad files are errors naming the problem', (t) => {
  t.throws(() => parsePcap(new Uint8Array(10), 'x.pcap'), { instanceOf: PcapError, message: /x\.pcap: 10 bytes, too short/ });
  t.throws(() => parsePcap(new Uint8Array(24)), { instanceOf: PcapError, message: /not a pcap file/ });
  const ng = Buffer.alloc(28);
  ng.writeUInt32BE(0x0a0d0d0a, 0);
  t.throws(() => parsePcap(ng), { instanceOf: PcapError, message: /pcapng/ });
  const good = writePcap([F1]);
  t.throws(() => parsePcap(good.subarray(0, good.length - 1), 'cut.pcap'), { instanceOf: PcapError, message: /cut\.pcap: record 1 .* cut short/ });
  const linux = Buffer.from(writePcap([F1]));
  linux.writeUInt32LE(113, 20);
  t.throws(() => parsePcap(linux), { instanceOf: PcapError, message: /link type 113 is not Ethernet/ });
});
