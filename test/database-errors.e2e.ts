import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isInputObjectType } from 'graphql';
import { Client } from 'pg';
import { domainErrorOfDatabase, fieldOfUniqueKey, SERVER_KEYS } from '../src/common/errors/database-errors';

interface UniqueIndex {
  name: string;
  table: string;
  primary: boolean;
  columns: string[];
}

/** Every unique index (constraints included) of the migrated test database, with its columns in key order. */
async function uniqueIndexes(db: Client): Promise<UniqueIndex[]> {
  const { rows } = await db.query<UniqueIndex>(
    `SELECT ic.relname AS name, tc.relname AS "table", i.indisprimary AS primary,
            ARRAY(SELECT coalesce(a.attname::text, 'expression') FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   ORDER BY k.n)::text[] AS columns
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace ns ON ns.oid = tc.relnamespace
      WHERE i.indisunique AND ns.nspname = 'public' AND tc.relname NOT IN ('migrations', 'typeorm_metadata')
      ORDER BY tc.relname, ic.relname`,
  );
  return rows;
}

/** The names of every field of every input type the API takes, and of every argument. */
function inputFieldNames(): Set<string> {
  const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8'));
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type)) for (const field of Object.keys(type.getFields())) names.add(field);
  }
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) for (const arg of field.args) names.add(arg.name);
  }
  return names;
}

describe('database errors are client errors', () => {
  let db: Client;

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
  });

  it('maps every unique index of the migrated database to an input field, unless the server fills the key itself', async () => {
    const indexes = await uniqueIndexes(db);
    expect(indexes.length).toBeGreaterThan(10);
    const fields = inputFieldNames();
    const unmapped = indexes.filter((index) => {
      const field = fieldOfUniqueKey(index.name, index.columns);
      if (field !== undefined) return !fields.has(field);
      const serverFilled =
        index.primary || SERVER_KEYS.has(index.name) || index.columns[index.columns.length - 1] === 'id';
      return !serverFilled;
    });
    // A new unique index that lands here needs an entry in UNIQUE_KEY_FIELDS (database-errors.ts).
    expect(
      unmapped.map(
        (index) =>
          `${index.name} (${index.table}: ${index.columns.join(', ')}) → ${fieldOfUniqueKey(index.name, index.columns)}`,
      ),
    ).toEqual([]);
  });

  it('answers a real unique violation of every mapped index with CONFLICT naming its field, and never quotes the values', async () => {
    const indexes = (await uniqueIndexes(db)).filter(
      (index) => fieldOfUniqueKey(index.name, index.columns) !== undefined,
    );
    for (const index of indexes) {
      // Copying an existing row's key into a scratch table with the same unique index raises the
      // violation as PostgreSQL reports it for the real table (same constraint name, same detail).
      await db.query('BEGIN');
      try {
        const secret = 'secret-value-0000';
        await db.query(
          `CREATE TEMP TABLE probe (${index.columns.map((c) => `"${c}" text`).join(', ')}) ON COMMIT DROP`,
        );
        await db.query(
          `CREATE UNIQUE INDEX "${index.name}" ON probe (${index.columns.map((c) => `"${c}"`).join(', ')})`,
        );
        const row = index.columns.map(() => secret);
        await db.query(`INSERT INTO probe VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
        const error = await db
          .query(`INSERT INTO probe VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        const mapped = domainErrorOfDatabase(error);
        const field = fieldOfUniqueKey(index.name, index.columns);
        expect({ index: index.name, code: mapped?.code, path: mapped?.fields?.[0]?.path }).toEqual({
          index: index.name,
          code: 'CONFLICT',
          path: `input.${field}`,
        });
        expect(JSON.stringify({ text: mapped?.text, fields: mapped?.fields })).not.toContain(secret);
      } finally {
        await db.query('ROLLBACK');
      }
    }
  });
});
