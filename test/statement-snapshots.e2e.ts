import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settle, snapshotText, statementFiles } from './statements/catalog';
import { createOrganization, startTestApp, TestApp } from './support/test-app';

/**
 * The composed statements as committed in statements/*.sql, as schema.gql is for the schema: a change
 * to any module's part changes the files, and this fails until `npm run statements:print` rewrites them
 * (that script runs this suite with STATEMENTS_PRINT=1, which writes instead of comparing).
 */
const DIRECTORY = join(__dirname, '..', 'statements');
const PRINT = process.env.STATEMENTS_PRINT === '1';

let app: TestApp;
let files: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp();
  const { organizationId } = await createOrganization(app);
  await settle(app, organizationId);
  files = {};
  for (const [file, cases] of Object.entries(statementFiles(app, organizationId))) {
    const read: { name: string; texts: string[] }[] = [];
    // One case at a time: each recording holds only its own statements.
    for (const c of cases) read.push({ name: c.name, texts: await c.statements() });
    files[`${file}.sql`] = snapshotText(file, read);
  }
  if (PRINT) {
    if (!existsSync(DIRECTORY)) mkdirSync(DIRECTORY);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(DIRECTORY, file), text);
  }
});
afterAll(() => app.close());

describe('composed statements (run `npm run statements:print` after changing one)', () => {
  it('has a committed file for each group of statements, and no other', () => {
    expect(
      readdirSync(DIRECTORY)
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    ).toEqual(Object.keys(files).sort());
  });

  it.each([
    'contact-card',
    'phone-typeahead',
    'client-search',
    'tickets',
    'lists',
    'composed-reads',
    'import-reads',
    'import-writes',
  ])('statements/%s.sql is what the code composes', (file) => {
    const committed = readFileSync(join(DIRECTORY, `${file}.sql`), 'utf8');
    expect(files[`${file}.sql`]).toBe(committed);
  });
});
