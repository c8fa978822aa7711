/**
 * A connected pair of unix sockets for connection tests: `client` goes to the code under test,
 * `peer` plays the OVSDB server (raw writes; `received` collects what the client sent, as text).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface SocketPair {
  client: net.Socket;
  peer: net.Socket;
  /** Everything the client has sent so far, as text. */
  received: () => string;
  /** The client's messages so far, parsed (the client writes compact JSON values back to back). */
  messages: () => unknown[];
  cleanup: () => void;
}

/** Splits back-to-back JSON objects/arrays by bracket depth (a test oracle independent of framing.ts). */
export function splitValues(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

export async function socketPair(): Promise<SocketPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-hwol-pair-'));
  const sock = path.join(dir, 'pair.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect({ path: sock });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const peer = await accepted;
  server.close();
  let text = '';
  peer.setEncoding('utf8');
  peer.on('data', (d: string) => {
    text += d;
  });
  peer.on('error', () => undefined);
  return {
    client,
    peer,
    received: () => text,
    messages: () => splitValues(text),
    cleanup: () => {
      client.destroy();
      peer.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
