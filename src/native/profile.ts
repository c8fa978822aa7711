/**
 * Soft NIC capability profiles: JSON files in schema/nic-profiles/, checked against
 * schema/nic-profile.schema.json (JSON Schema 2020-12, with ajv).
 *
 * Shipped profiles: `full` (a modern NIC), `xl710` (flow director: exact 5-tuples, MARK needs
 * QUEUE, no COUNT, 8192 rules), `nocount` (MARK but no COUNT), `nomark` (MARK refused, like a
 * TC-flower based PMD). See each file's `description`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import profileSchema from '../../schema/nic-profile.schema.json';
import type { ActionName, ItemName } from './rule-spec';

/** Which fields of an item the NIC can match: all of them, or a list. */
export type ItemCapability = '*' | readonly string[];

/** A soft NIC profile (the JSON document, see schema/nic-profile.schema.json for each property). */
export interface NicProfile {
  name: string;
  description?: string;
  ports: number;
  queues: number;
  maxRules: number;
  maxMark: number;
  priorities: number;
  groups: number;
  egress: boolean;
  transfer: boolean;
  maskPolicy: 'any' | 'exact' | 'prefix';
  markNeedsQueue: boolean;
  items: Partial<Record<ItemName, ItemCapability>>;
  actions: readonly ActionName[];
}

/** A profile that is missing, unreadable or invalid. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

/** Largest number of rules a soft NIC can hold in all (ports x maxRules). */
export const MAX_TOTAL_RULES = 1 << 22;

/** Directory of the shipped profiles. */
export const PROFILE_DIR = path.resolve(__dirname, '..', '..', '..', 'schema', 'nic-profiles');

let validator: ValidateFunction | undefined;

function validate(value: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
    validator = ajv.compile(profileSchema);
  }
  return validator(value) ? [] : (validator.errors ?? []);
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the profile' : e.instancePath.slice(1).replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Checks a parsed profile document.
 * @param source where it came from, for messages
 * @throws ProfileError naming the first property that is wrong
 */
export function checkProfile(value: unknown, source = 'profile'): NicProfile {
  const errors = validate(value);
  if (errors.length > 0) throw new ProfileError(`${source}: ${describeError(errors[0])}`);
  const p = value as NicProfile;
  if (p.ports * p.maxRules > MAX_TOTAL_RULES) {
    throw new ProfileError(`${source}: ports x maxRules is ${p.ports * p.maxRules}, more than ${MAX_TOTAL_RULES}`);
  }
  return p;
}

/** Names of the shipped profiles (files in {@link PROFILE_DIR}), sorted. */
export function listProfiles(dir: string = PROFILE_DIR): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Loads a profile by name (a shipped one: `full`, `xl710`, ...) or from a path to a JSON file
 * (anything containing `/` or ending in `.json`).
 * @throws ProfileError when it does not exist, is not JSON, or does not satisfy the schema
 */
export function loadProfile(nameOrPath: string, dir: string = PROFILE_DIR): NicProfile {
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.json');
  if (!isPath && !/^[a-z0-9][a-z0-9_-]*$/.test(nameOrPath)) {
    throw new ProfileError(`"${nameOrPath}" is not a profile name (profiles: ${listProfiles(dir).join(', ')})`);
  }
  const file = isPath ? nameOrPath : path.join(dir, `${nameOrPath}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const known = isPath ? '' : ` (profiles: ${listProfiles(dir).join(', ')})`;
    throw new ProfileError(`no soft NIC profile "${nameOrPath}"${known}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ProfileError(`${file} is not JSON: ${(err as Error).message}`);
  }
  return checkProfile(doc, file);
}
