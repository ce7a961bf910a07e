import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import { ErrorCode } from '../errors/error-code';

/** Everything but /graphql (template and report downloads, uploads streamed by busboy) takes small bodies only. */
const SMALL_BODY = '100kb';

/**
 * Body limits per route: /graphql takes what one documented integration batch needs (the same cap as
 * a graphql-ws message, AppConfig.graphql.maxBodyBytes), every other route stays small. A body over
 * its limit or not parseable as JSON is the client's error, answered as JSON a client can read
 * (413 / 400 with extensions.code), never Express's HTML page.
 */
export function installRequestBodies(app: NestExpressApplication, graphqlMaxBytes: number): void {
  app.use('/graphql', json({ limit: graphqlMaxBytes }));
  app.use(json({ limit: SMALL_BODY }), urlencoded({ extended: true, limit: SMALL_BODY }));
  app.use(bodyErrors(graphqlMaxBytes));
}

function bodyErrors(graphqlMaxBytes: number) {
  return (
    error: { type?: string; status?: number; limit?: number } | undefined,
    request: Request,
    response: Response,
    next: NextFunction,
  ): void => {
    if (
      !error ||
      (error.type !== 'entity.too.large' &&
        error.type !== 'entity.parse.failed' &&
        error.type !== 'encoding.unsupported' &&
        error.type !== 'charset.unsupported')
    )
      return next(error);
    const tooLarge = error.type === 'entity.too.large';
    const limit = tooLarge ? (request.path.startsWith('/graphql') ? graphqlMaxBytes : error.limit) : undefined;
    const [ru, en] = tooLarge
      ? [
          `Тело запроса больше допустимого (${limit} байт). Разбейте пакет на части.`,
          `Request body exceeds the limit of ${limit} bytes; split the batch`,
        ]
      : ['Тело запроса — не корректный JSON в UTF-8.', 'Request body is not valid UTF-8 JSON'];
    response.status(tooLarge ? 413 : 400).json({
      errors: [
        {
          message: ru,
          extensions: { code: ErrorCode.BAD_USER_INPUT, messageEn: en, ...(limit ? { maxBytes: limit } : {}) },
        },
      ],
    });
  };
}
