/**
 * schema/control-api.schema.json, compiled with ajv (JSON Schema draft 2020-12).
 *
 * The schema holds, for each method M, `$defs["M.params"]` and, where the contract fixes the
 * result, `$defs["M.result"]`. Validation errors become one sentence naming the offending field
 * (`flows[0].match is missing`), plus `data: {field, keyword, allowed?}` for programs.
 * Validators are compiled on first use and cached (ajv compiles in milliseconds; the CLI never needs it).
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import controlApiSchema from '../../schema/control-api.schema.json';

/** The schema document, as loaded. */
export const CONTROL_API_SCHEMA: Readonly<Record<string, unknown>> = controlApiSchema;

/** Every method of the control API (DESIGN.md §3), in the order of the contract's table. */
export const CONTROL_METHODS = controlApiSchema.properties.method.enum as readonly string[];

/** The outcome of a validation: ok, or a sentence naming the field and details for `data`. */
export type SchemaCheck = { ok: true } | { ok: false; message: string; data: SchemaErrorData };

/** `data` of a -32602 error: the field (`flows[0].match`, or `params` for the whole), the JSON Schema keyword that failed, accepted values for enums. */
export interface SchemaErrorData {
  field: string;
  keyword: string;
  allowed?: unknown[];
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction | null>();

function compiler(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: false, verbose: true, allowUnionTypes: true, strict: true, strictRequired: false });
    ajv.addSchema(controlApiSchema);
  }
  return ajv;
}

function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The validator of `$defs[name]`, or null when the schema has no such definition. */
function validatorFor(name: string): ValidateFunction | null {
  let v = validators.get(name);
  if (v === undefined) {
    const defs = controlApiSchema.$defs as Record<string, unknown>;
    v = Object.prototype.hasOwnProperty.call(defs, name) ? (compiler().getSchema(`${controlApiSchema.$id}#/$defs/${pointerEscape(name)}`) ?? null) : null;
    validators.set(name, v);
  }
  return v;
}

/** True when the schema describes the params of `method`. */
export function hasParamsSchema(method: string): boolean {
  return validatorFor(`${method}.params`) !== null;
}

/** True when the schema fixes the result of `method`. */
export function hasResultSchema(method: string): boolean {
  return validatorFor(`${method}.result`) !== null;
}

/**
 * Validates the params of a call (after omitted params were replaced by {}).
 * @throws Error when the schema does not describe `method` (check hasParamsSchema first).
 */
export function validateParams(method: string, params: unknown): SchemaCheck {
  return check(`${method}.params`, params, 'params');
}

/**
 * Validates a result against `M.result` — for the tests of whoever implements a method.
 * @throws Error when the schema does not fix the result of `method`.
 */
export function validateResult(method: string, result: unknown): SchemaCheck {
  return check(`${method}.result`, result, 'result');
}

/** Validates a whole request object against the schema's root (method, and params by method). */
export function validateRequest(request: unknown): SchemaCheck {
  const v = compiler().getSchema(controlApiSchema.$id);
  if (!v) throw new Error('control API schema did not compile');
  return v(request) ? { ok: true } : describe(v.errors ?? [], 'request');
}

function check(name: string, value: unknown, root: string): SchemaCheck {
  const v = validatorFor(name);
  if (!v) throw new Error(`schema/control-api.schema.json has no $defs["${name}"]`);
  return v(value) ? { ok: true } : describe(v.errors ?? [], root);
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'not']);

/** Picks the most telling ajv error and phrases it: combinators over their branches, branches over `if`. */
function describe(errors: ErrorObject[], root: string): { ok: false; message: string; data: SchemaErrorData } {
  const relevant = errors.filter((e) => e.keyword !== 'if');
  const combinator = [...relevant].reverse().find((e) => COMBINATORS.has(e.keyword));
  const err = combinator ?? relevant[0] ?? errors[0];
  if (!err) return { ok: false, message: `${root} is not valid`, data: { field: root, keyword: 'unknown' } };
  return { ok: false, ...phrase(err, root) };
}

function fieldOf(instancePath: string, root: string, child?: string): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? root : out.startsWith('[') ? `${root}${out}` : out;
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function typeList(types: unknown): string {
  const list = Array.isArray(types) ? types.map(String) : String(types).split(',');
  return list.map((t) => (t === 'null' ? 'null' : article(t))).join(' or ');
}

function got(value: unknown): string {
  if (value === null || typeof value === 'object' || value === undefined) return '';
  const text = JSON.stringify(value);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function phrase(err: ErrorObject, root: string): { message: string; data: SchemaErrorData } {
  const params = err.params as Record<string, unknown>;
  const parent = (err.parentSchema ?? {}) as { description?: unknown };
  const description = typeof parent.description === 'string' ? parent.description : undefined;
  let field = fieldOf(err.instancePath, root);
  let text: string;
  let allowed: unknown[] | undefined;
  switch (err.keyword) {
    case 'required':
      field = fieldOf(err.instancePath, root, String(params.missingProperty));
      text = `${field} is missing`;
      break;
    case 'additionalProperties':
      field = fieldOf(err.instancePath, root, String(params.additionalProperty));
      text = `${field} is not a known field`;
      break;
    case 'type':
      text = `${field} must be ${typeList(params.type)}${got(err.data)}`;
      break;
    case 'enum':
      allowed = params.allowedValues as unknown[];
      text = `${field} must be one of ${allowed.map(String).join(', ')}${got(err.data)}`;
      break;
    case 'const':
      allowed = [params.allowedValue];
      text = `${field} must be ${JSON.stringify(params.allowedValue)}${got(err.data)}`;
      break;
    case 'pattern':
      text = `${field} must be ${description ?? `text matching ${String(params.pattern)}`}${got(err.data)}`;
      break;
    case 'minItems':
    case 'minLength':
      text = params.limit === 1 ? `${field} must not be empty` : `${field} ${err.message ?? 'is too short'}`;
      break;
    default:
      text = COMBINATORS.has(err.keyword) && description ? `${field} ${description}` : `${field} ${err.message ?? 'is not valid'}${got(err.data)}`;
  }
  return { message: text, data: allowed ? { field, keyword: err.keyword, allowed } : { field, keyword: err.keyword } };
}
