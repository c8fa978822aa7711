/** The control API: server, client, errors, schema validation, and the log/set handler. */
export { ControlServer, type ControlServerOptions, type ControlHandler } from './server';
export { ControlClient, type ControlClientOptions, type CallOptions } from './client';
export {
  ErrorCode,
  ControlError,
  ControlSocketInUseError,
  ControlServerError,
  ControlConnectError,
  ControlClosedError,
  ControlTimeoutError,
  ControlProtocolError,
} from './errors';
export { CONTROL_METHODS, CONTROL_API_SCHEMA, validateParams, validateResult, validateRequest, hasParamsSchema, hasResultSchema, type SchemaCheck } from './schema';
export { logSetHandler, type LogSetParams, type LogSetResult } from './log-set';
export { DEFAULT_CTL_SOCKET, CTL_SOCKET_ENV, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESPONSE_BYTES } from './defaults';
export type * from './api-types';
