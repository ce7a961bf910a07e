import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>).__embeddedPostgres as EmbeddedDatabase | undefined;
  if (embedded) {
    await embedded.stop();
    rmSync(dirname((globalThis as Record<string, unknown>).__embeddedDataDir as string), {
      recursive: true,
      force: true,
    });
    return;
  }
  const admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${process.env.TEST_DATABASE_NAME} WITH (FORCE)`);
  await admin.end();
}
