/*
 * The floor of bench/load.ts: the dispatcher's card served by a bare node:http server and pg pool —
 * no Nest, no Apollo, no token check — answering GET /card?id=<contact id> with the card bench's one
 * hand-written statement (CARD_SQL of bench/card-queries.ts) as {"data":{"contactCard":…}}. What the card
 * could cost over HTTP if the application added nothing to the database's work.
 *
 * Started by bench/load.ts as a child process: FLOOR_DATABASE_URL, FLOOR_ORGANIZATION, PORT, and
 * FLOOR_POOL (connections; bench/load.ts gives it the application's main pool size).
 */
import http from 'node:http';
import { Pool } from 'pg';
import { CARD_SQL } from './card-queries';

const pool = new Pool({
  connectionString: process.env.FLOOR_DATABASE_URL,
  max: Number(process.env.FLOOR_POOL ?? 10),
  application_name: 'domovoy-bench-floor',
});
const organization = process.env.FLOOR_ORGANIZATION;

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://floor');
  if (url.pathname === '/health/live') {
    response.end('{"status":"ok"}');
    return;
  }
  pool.query<{ card: unknown }>(CARD_SQL, [organization, url.searchParams.get('id')]).then(
    ({ rows }) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { contactCard: rows[0].card } }));
    },
    (error: Error) => {
      response.statusCode = 500;
      response.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'FLOOR_SQL' } }] }));
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
