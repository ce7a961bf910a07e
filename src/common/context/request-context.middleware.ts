import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { appLogger } from '../logging/logger';
import { observeHttpRequest } from '../../metrics/metrics';
import { RequestContext, requestContextStorage } from './request-context';

const INCOMING_ID = /^[\w.-]{1,100}$/;

/** The id the request was given (echoed as X-Request-Id), for code that has the request but not its async context. */
export function requestIdOf(request: Request | undefined): string | undefined {
  const id: unknown = request?.res?.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Gives every request an id (kept from X-Request-Id when sane), echoes it, and logs one line when the
 * response ends. With `tracing`, the request also runs in its RequestContext, so every line logged
 * while serving it carries the id and its line counts the SQL statements it sent (AppConfig.requestTracing).
 */
/** The route's pattern (`/imports/:id/errors`), never the raw path: ids and probes must not become label values. */
function routeOf(request: Request): string {
  if (request.originalUrl.startsWith('/graphql')) return '/graphql';
  const pattern: unknown = (request as Request & { route?: { path?: unknown } }).route?.path;
  return typeof pattern === 'string' ? `${request.baseUrl}${pattern}` : 'unmatched';
}

export function requestContextMiddleware(options: { tracing: boolean }): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    const incoming = request.header('x-request-id');
    const context: RequestContext = {
      requestId: incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID(),
      sqlStatements: 0,
    };
    response.setHeader('X-Request-Id', context.requestId);
    response.locals.requestId = context.requestId;
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(request);
      observeHttpRequest(
        request.method,
        route,
        response.statusCode,
        seconds,
        options.tracing ? context.sqlStatements : undefined,
      );
      // Probes and scrapes come every few seconds: their lines would drown the requests people send.
      if (route.startsWith('/health') || route === '/metrics') return;
      appLogger.info('request', {
        requestId: context.requestId,
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        ms: Math.round(seconds * 1e6) / 1000,
        ...(options.tracing ? { sqlStatements: context.sqlStatements } : {}),
      });
    });
    if (options.tracing) requestContextStorage.run(context, () => next());
    else next();
  };
}
