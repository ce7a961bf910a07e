import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { appLogger } from '../logging/json-logger';
import { requestContextStorage } from './request-context';

const INCOMING_ID = /^[\w.-]{1,100}$/;

/** Gives every request an id (kept from X-Request-Id when sane), echoes it, and logs one line when the response ends. */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-request-id');
  const context = { requestId: incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID(), sqlStatements: 0 };
  response.setHeader('X-Request-Id', context.requestId);
  const started = process.hrtime.bigint();
  response.on('finish', () => {
    if (request.originalUrl.startsWith('/health')) return;
    requestContextStorage.run(context, () =>
      appLogger.info('request', {
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        sqlStatements: context.sqlStatements,
      }),
    );
  });
  requestContextStorage.run(context, () => next());
}
