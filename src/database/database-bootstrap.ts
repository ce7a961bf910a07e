import { join } from 'node:path';
import { AppConfig } from '../config/config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { localSecrets } from './local-secrets';

export interface OpenedDatabase {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise a real PostgreSQL server started from the embedded-postgres package. */
export async function openDatabase(config: AppConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, close: async () => undefined };
  const server = await startEmbeddedPostgres({
    dataDir: join(config.dataDir, 'pg'),
    password: localSecrets(config.dataDir).postgresPassword,
    database: 'domovoy',
  });
  return { url: server.url, embedded: true, close: () => server.stop() };
}
