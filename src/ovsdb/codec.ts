/**
 * The boundary between OVSDB's JSON-RPC 1.0 (RFC 7047 §4) and the json-rpc-2.0 package, which the
 * connection uses as its RPC engine (request ids, pending requests, serving `echo`).
 *
 * | OVSDB (wire)                                    | json-rpc-2.0 (engine)                                  |
 * |-------------------------------------------------|--------------------------------------------------------|
 * | `{method, params, id}` (id not null)            | request `{jsonrpc, method, params, id}`                 |
 * | `{method, params, id: null}`                    | notification `{jsonrpc, method, params}` (no id)        |
 * | `{result, error: null, id}`                     | success `{jsonrpc, id, result}`                         |
 * | `{result: null, error: E, id}`                  | error `{jsonrpc, id, error: {code: OVSDB_ERROR_CODE, message, data: E}}` |
 *
 * E is `{error, details?}` or, from some servers, a plain string; `data` keeps it exactly as received,
 * and {@link errorFromResponse} turns it back into a typed {@link OvsdbError}. Messages are classified
 * the way OVS classifies them (non-null `result`: reply; else non-null `error`: error; else non-null
 * `id`: request; else notification), and anything OVS would reject is a {@link ProtocolError}.
 */
import { JSONRPC, JSONRPCErrorCode, type JSONRPCError, type JSONRPCID, type JSONRPCRequest, type JSONRPCResponse } from 'json-rpc-2.0';
import { OvsdbError, ProtocolError } from './errors';
import type { RpcNotification } from './rpc-channel';

/** The JSON-RPC 2.0 error code under which OVSDB error answers travel inside the engine. */
export const OVSDB_ERROR_CODE = -32000;

/** An OVSDB JSON-RPC 1.0 message as it is sent on the wire. */
export type OvsdbWireMessage =
  | { method: string; params: unknown[]; id: unknown }
  | { result: unknown; error: null; id: unknown }
  | { result: null; error: unknown; id: unknown };

/** A received message, classified, in the engine's form. */
export type DecodedMessage =
  | { type: 'request'; payload: JSONRPCRequest }
  | { type: 'notification'; payload: JSONRPCRequest; notification: RpcNotification }
  | { type: 'response'; payload: JSONRPCResponse };

const MEMBERS = new Set(['method', 'params', 'result', 'error', 'id']);

function excerpt(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  text ??= String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function invalid(reason: string, message: unknown): ProtocolError {
  return new ProtocolError(`invalid JSON-RPC message from the peer (${reason}): ${excerpt(message)}`);
}

/** Turns an engine error response that came from an OVSDB error answer into the typed error. */
export function errorFromResponse(error: JSONRPCError): OvsdbError {
  return OvsdbError.fromWire(error.data !== undefined ? error.data : error.message);
}

/**
 * Translates messages in both directions. One codec per connection: ids of the peer's requests that
 * json-rpc-2.0 cannot carry (RFC 7047 allows any JSON value; the package takes strings and numbers)
 * are replaced by private string ids and restored in the answers, so the codec holds that mapping.
 */
export class OvsdbJsonRpcCodec {
  private readonly foreignIds = new Map<string, unknown>();
  private nextForeignId = 0;

  /**
   * Classifies and translates one received JSON value.
   * @throws ProtocolError naming what is wrong: not an object, an unexpected member, a non-string
   *   method, non-array params, or a member that the message's type must (not) have.
   */
  decode(message: unknown): DecodedMessage {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw invalid('not a JSON object', message);
    const m = message as Record<string, unknown>;
    for (const key of Object.keys(m)) {
      if (!MEMBERS.has(key)) throw invalid(`unexpected member "${key}"`, message);
    }
    const { method, params, result, error, id } = m;
    if (method !== undefined && typeof method !== 'string') throw invalid('"method" is not a string', message);
    if (params != null && !Array.isArray(params)) throw invalid('"params" is not an array', message);
    const has = (v: unknown): boolean => v != null;

    if (has(result) || has(error)) {
      const kind = has(result) ? 'reply' : 'error reply';
      if (has(result) && has(error)) throw invalid('a reply cannot have both a non-null "result" and a non-null "error"', message);
      if (method !== undefined) throw invalid(`${kind} must not have "method"`, message);
      if (has(params)) throw invalid(`${kind} must not have "params"`, message);
      if (!has(id)) throw invalid(`${kind} must have a non-null "id"`, message);
      const engineId = this.responseId(id);
      if (has(result)) return { type: 'response', payload: { jsonrpc: JSONRPC, id: engineId, result } };
      const wireError = OvsdbError.fromWire(error);
      return {
        type: 'response',
        payload: { jsonrpc: JSONRPC, id: engineId, error: { code: OVSDB_ERROR_CODE, message: wireError.message, data: error } },
      };
    }

    const kind = has(id) ? 'request' : 'notification';
    if (method === undefined) throw invalid(`${kind} must have "method"`, message);
    if (!has(params)) throw invalid(`${kind} must have "params"`, message);
    const list = params as unknown[];
    if (kind === 'notification') {
      return { type: 'notification', payload: { jsonrpc: JSONRPC, method, params: list }, notification: { method, params: list } };
    }
    return { type: 'request', payload: { jsonrpc: JSONRPC, method, params: list, id: this.requestId(id) } };
  }

  /**
   * Translates an engine message (a request, notification or response that json-rpc-2.0 wants to
   * send) into its OVSDB wire form. Engine errors that did not come from OVSDB get RFC 7047 error
   * strings: method not found -> "unknown method", invalid request/params -> "syntax error",
   * anything else -> "internal error".
   */
  encode(payload: JSONRPCRequest | JSONRPCResponse): OvsdbWireMessage {
    if ('method' in payload && typeof payload.method === 'string') {
      const params: unknown[] = Array.isArray(payload.params) ? (payload.params as unknown[]) : payload.params === undefined ? [] : [payload.params];
      return { method: payload.method, params, id: payload.id === undefined ? null : this.wireId(payload.id) };
    }
    const response = payload as JSONRPCResponse;
    const id = this.wireId(response.id, true);
    if (response.error) return { result: null, error: this.wireError(response.error), id };
    return { result: response.result ?? null, error: null, id };
  }

  private wireError(error: JSONRPCError): unknown {
    if (error.code === OVSDB_ERROR_CODE && error.data != null) return error.data;
    const code = error.code as JSONRPCErrorCode;
    if (code === JSONRPCErrorCode.MethodNotFound) return { error: 'unknown method' };
    if (code === JSONRPCErrorCode.InvalidRequest || code === JSONRPCErrorCode.InvalidParams || code === JSONRPCErrorCode.ParseError) {
      return { error: 'syntax error', details: error.message };
    }
    return { error: 'internal error', details: error.message };
  }

  /** The engine id for a request of the peer's. */
  private requestId(id: unknown): JSONRPCID {
    if (typeof id === 'string' && !id.startsWith('\u0000')) return id;
    if (typeof id === 'number') return id;
    const key = `\u0000ovsdb-id:${this.nextForeignId++}`;
    this.foreignIds.set(key, id);
    return key;
  }

  /** The engine id for an answer to one of our requests (ours are numbers; others cannot match). */
  private responseId(id: unknown): JSONRPCID {
    return typeof id === 'string' || typeof id === 'number' ? id : excerpt(id);
  }

  /** The wire id for an engine id; for answers, a private id is restored to the peer's original. */
  private wireId(id: JSONRPCID | undefined, answer = false): unknown {
    if (answer && typeof id === 'string' && this.foreignIds.has(id)) {
      const original = this.foreignIds.get(id);
      this.foreignIds.delete(id);
      return original;
    }
    return id ?? null;
  }
}
