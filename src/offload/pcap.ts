/**
 * Classic libpcap files (not pcapng), read in TypeScript: magic 0xa1b2c3d4 (microsecond
 * timestamps) or 0xa1b23c4d (nanosecond), written in either byte order; a 24-byte global header
 * then records of a 16-byte header (seconds, fraction, captured length, original length) and the
 * captured bytes. Only Ethernet captures (link type 1) are accepted: the soft NIC takes Ethernet frames.
 */
import fs from 'node:fs';
import { PcapError } from './errors';

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** A capture: its frames in file order (views into the file's bytes), and how timestamps were kept. */
export interface PcapCapture {
  frames: Uint8Array[];
  littleEndian: boolean;
  nanoseconds: boolean;
}

/**
 * Parses a capture held in memory.
 * @param source names the capture in error messages
 * @throws PcapError naming the source and what is wrong (bad magic, link type, a record cut short)
 */
export function parsePcap(bytes: Uint8Array, source = 'pcap'): PcapCapture {
  if (bytes.length < GLOBAL_HEADER) throw new PcapError(`${source}: ${bytes.length} bytes, too short for a pcap header (24 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let littleEndian: boolean;
  const le = view.getUint32(0, true);
  const be = view.getUint32(0, false);
  if (le === MAGIC_US || le === MAGIC_NS) littleEndian = true;
  else if (be === MAGIC_US || be === MAGIC_NS) littleEndian = false;
  else if (be === 0x0a0d0d0a) throw new PcapError(`${source}: a pcapng file; only classic pcap is read (convert it with editcap -F pcap)`);
  else throw new PcapError(`${source}: not a pcap file (magic 0x${be.toString(16).padStart(8, '0')})`);
  const nanoseconds = (littleEndian ? le : be) === MAGIC_NS;
  const linkType = view.getUint32(20, littleEndian) & 0x0fffffff;
  if (linkType !== LINKTYPE_ETHERNET) throw new PcapError(`${source}: link type ${linkType} is not Ethernet (1)`);
  const frames: Uint8Array[] = [];
  let at = GLOBAL_HEADER;
  while (at < bytes.length) {
    if (at + RECORD_HEADER > bytes.length) throw new PcapError(`${source}: record ${frames.length + 1} at offset ${at} is cut short (header)`);
    const caplen = view.getUint32(at + 8, littleEndian);
    const start = at + RECORD_HEADER;
    if (start + caplen > bytes.length) throw new PcapError(`${source}: record ${frames.length + 1} at offset ${at} is cut short (${caplen} bytes announced, ${bytes.length - start} left)`);
    frames.push(bytes.subarray(start, start + caplen));
    at = start + caplen;
  }
  return { frames, littleEndian, nanoseconds };
}

/** Reads and parses a pcap file. @throws PcapError (also when the file cannot be read) */
export function readPcapFile(file: string): PcapCapture {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new PcapError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parsePcap(bytes, file);
}

/**
 * Writes frames as a classic pcap (little-endian, microseconds, Ethernet) — for tests and tools.
 * @param timeUs timestamp of every record, microseconds since the epoch
 */
export function writePcap(frames: readonly Uint8Array[], timeUs = 0, littleEndian = true): Uint8Array {
  const total = GLOBAL_HEADER + frames.reduce((n, f) => n + RECORD_HEADER + f.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_US, littleEndian);
  view.setUint16(4, 2, littleEndian);
  view.setUint16(6, 4, littleEndian);
  view.setUint32(16, 65535, littleEndian);
  view.setUint32(20, LINKTYPE_ETHERNET, littleEndian);
  let at = GLOBAL_HEADER;
  for (const f of frames) {
    view.setUint32(at, Math.floor(timeUs / 1e6), littleEndian);
    view.setUint32(at + 4, timeUs % 1e6, littleEndian);
    view.setUint32(at + 8, f.length, littleEndian);
    view.setUint32(at + 12, f.length, littleEndian);
    out.set(f, at + RECORD_HEADER);
    at += RECORD_HEADER + f.length;
  }
  return out;
}
