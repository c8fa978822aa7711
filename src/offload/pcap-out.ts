/**
 * The capture files of packet/inject's `pcapOut` (a directory, as the agent sees it): the frames
 * each output port received, as the packet path's per-port batches delivered them, and the misses
 * (the frames the software datapath gets), one classic pcap file each:
 *
 *   `port-N.pcap`  the frames whose mark sent them to odp port N, in arrival order;
 *   `miss.pcap`    the frames no rule matched, in arrival order.
 *
 * Frames dropped by a DROP rule and frames marked for a hw-port-id missing from hw_local_port_map
 * go to no port and are written nowhere (packet/inject's per-frame answer names them). Each call
 * replaces the files of the ports it sends frames to and leaves other files alone; its answer lists
 * the files it wrote. The directory is made when missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InjectError } from './errors';
import { writePcap } from './pcap';

/** One file written for a packet/inject call. */
export interface WrittenCapture {
  /** The odp output port, or `miss` for the frames no rule matched. */
  port: number | 'miss';
  /** Absolute path of the file. */
  file: string;
  /** Number of frames in it. */
  frames: number;
}

/** The frames of one capture file, in arrival order. */
export interface CaptureGroup {
  port: number | 'miss';
  frames: readonly Uint8Array[];
}

/** Node's error code of a failed file operation (`EACCES`, ...), or its message. */
function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/**
 * Makes `dir` and its missing parents one by one, from the deepest that exists. (Not
 * `mkdirSync(..., {recursive: true})`: on procfs and sysfs paths Node's recursive mkdir never
 * returns.) Throws Node's error of the first step that fails.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const st = fs.statSync(at, { throwIfNoEntry: false });
    if (st !== undefined) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) fs.mkdirSync(missing[i]);
}

/**
 * Makes `dir` (and its parents) when missing and checks that a file can be written in it (by
 * writing and removing one), before any frame is classified, so that a bad directory fails the
 * call with nothing changed.
 * @returns the directory as an absolute path
 * @throws InjectError naming the directory and the reason
 */
export function preparePcapDir(dir: string): string {
  const abs = path.resolve(dir);
  try {
    const existing = fs.statSync(abs, { throwIfNoEntry: false });
    if (existing === undefined) makeDirs(abs);
    else if (!existing.isDirectory()) throw new InjectError(`cannot write pcap files in ${abs}: it is not a directory`, abs);
    const probe = path.join(abs, `.ovs-hwol-write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.unlinkSync(probe);
  } catch (err) {
    if (err instanceof InjectError) throw err;
    throw new InjectError(`cannot write pcap files in ${abs}: ${reason(err)}`, abs);
  }
  return abs;
}

/** The file name of a group: `port-N.pcap` or `miss.pcap`. */
function captureFileName(port: number | 'miss'): string {
  return port === 'miss' ? 'miss.pcap' : `port-${port}.pcap`;
}

/**
 * Writes each non-empty group to its file in `dir` (made by {@link preparePcapDir}), every record
 * stamped `timeUs` (microseconds since the epoch).
 * @throws InjectError naming the file that could not be written
 */
export function writeCaptures(dir: string, groups: readonly CaptureGroup[], timeUs: number): WrittenCapture[] {
  const written: WrittenCapture[] = [];
  for (const g of groups) {
    if (g.frames.length === 0) continue;
    const file = path.join(dir, captureFileName(g.port));
    try {
      fs.writeFileSync(file, writePcap(g.frames, timeUs));
    } catch (err) {
      throw new InjectError(`cannot write ${file}: ${reason(err)}`, dir);
    }
    written.push({ port: g.port, file, frames: g.frames.length });
  }
  return written;
}
