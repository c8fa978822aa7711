/**
 * Checks that a server's schema has everything a client is about to monitor.
 */
import type { DatabaseSchema } from './schema';

/** What the server's schema lacks; the message names every missing table and column. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
  constructor(
    readonly database: string,
    /** Missing tables as `Table`, missing columns as `Table.column`. */
    readonly missing: readonly string[],
    message = `database ${database} has no ${missing.map((m) => (m.includes('.') ? `column ${m}` : `table ${m}`)).join(', ')}`,
  ) {
    super(message);
  }
}

/**
 * @param schema the server's schema (from `get_schema`)
 * @param database the database the client expects it to be
 * @param required table -> columns the client monitors
 * @throws SchemaMismatchError when the schema is for another database or lacks a table or column
 */
export function checkSchema(schema: DatabaseSchema, database: string, required: Readonly<Record<string, readonly string[]>>): void {
  if (schema.name !== database) throw new SchemaMismatchError(database, [], `asked for the schema of ${database}, the server answered with ${schema.name}`);
  const missing: string[] = [];
  for (const [table, columns] of Object.entries(required)) {
    const t = schema.tables.get(table);
    if (!t) {
      missing.push(table);
      continue;
    }
    for (const c of columns) if (!t.columns.has(c)) missing.push(`${table}.${c}`);
  }
  if (missing.length > 0) throw new SchemaMismatchError(database, missing);
}
