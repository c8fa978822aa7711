/**
 * The JSON-RPC 2.0 request envelope, checked before a message reaches the json-rpc-2.0 engine
 * (which assumes an object and does not check the types of `method`, `id` or `params`).
 */
import type { JSONRPCID, JSONRPCRequest } from 'json-rpc-2.0';

export type EnvelopeCheck =
  | { ok: true; request: JSONRPCRequest }
  /** `id` is the request's id when it had a valid one, else null (as the spec asks for -32600). */
  | { ok: false; id: JSONRPCID; reason: string };

function isId(value: unknown): value is JSONRPCID {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Checks one request object (one element of a batch, or a whole single message):
 * an object with `jsonrpc: "2.0"`, a string `method`, an optional `id` (string, number or null;
 * absent means a notification), optional `params` (object or array), and no `result`/`error`.
 */
export function checkRequestEnvelope(value: unknown): EnvelopeCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, reason: `a request must be an object, not ${kind(value)}` };
  }
  const msg = value as Record<string, unknown>;
  const id = isId(msg.id) ? msg.id : null;
  if (msg.id !== undefined && !isId(msg.id)) return { ok: false, id, reason: `id must be a string, a number or null, not ${kind(msg.id)}` };
  if (msg.jsonrpc !== '2.0') return { ok: false, id, reason: 'jsonrpc must be "2.0"' };
  if (typeof msg.method !== 'string') return { ok: false, id, reason: msg.method === undefined ? 'method is missing' : `method must be a string, not ${kind(msg.method)}` };
  if (msg.params !== undefined && (typeof msg.params !== 'object' || msg.params === null)) {
    return { ok: false, id, reason: `params must be an object or an array, not ${kind(msg.params)}` };
  }
  if ('result' in msg || 'error' in msg) return { ok: false, id, reason: 'a request has no result or error member' };
  return { ok: true, request: msg as unknown as JSONRPCRequest };
}
