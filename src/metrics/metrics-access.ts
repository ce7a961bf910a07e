import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsRegistry } from './metrics';

function tokenMatches(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Answers a scrape: the registry's text with the token (when one is configured), 401 without it.
 * Both the HTTP port's route and the separate metrics port go through here.
 */
export async function answerScrape(
  request: IncomingMessage,
  response: ServerResponse,
  token: string | undefined,
): Promise<void> {
  if (token !== undefined && !tokenMatches(request.headers.authorization, token)) {
    response.writeHead(401, {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': 'Bearer realm="metrics"',
    });
    response.end(
      JSON.stringify({
        code: 'UNAUTHENTICATED',
        message: 'Нужен токен метрик: Authorization: Bearer <METRICS_TOKEN>',
        messageEn: 'The metrics token is required: Authorization: Bearer <METRICS_TOKEN>',
      }),
    );
    return;
  }
  const body = await metricsRegistry.metrics();
  response.writeHead(200, { 'content-type': metricsRegistry.contentType });
  response.end(body);
}
