import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { appLogger } from '../logging/json-logger';
import { domainErrorOfDatabase, sqlState } from './database-errors';
import { DomainException } from './domain.exception';
import { ErrorCode } from './error-code';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL]: 500,
};

const INTERNAL = new DomainException(ErrorCode.INTERNAL, {
  ru: 'Внутренняя ошибка сервера. Повторите попытку позже или сообщите администратору.',
  en: 'Internal server error',
});

/**
 * Domain errors are answers, not failures. In GraphQL they (and database errors) go to the error
 * formatter untouched; on the REST endpoints (template, upload, export) they become a JSON body with
 * the same code and messages, a database error mapped by database-errors.ts as the formatter maps it.
 */
@Catch(DomainException, QueryFailedError)
export class DomainExceptionFilter implements GqlExceptionFilter {
  catch(exception: DomainException | QueryFailedError, host: ArgumentsHost): DomainException | QueryFailedError | void {
    if (host.getType() !== 'http') return exception;
    const known = exception instanceof DomainException ? exception : domainErrorOfDatabase(exception);
    if (!known) {
      // Only the SQLSTATE: the statement's parameters and the server's message can hold client data.
      appLogger.error('Unhandled database error on a REST endpoint', { sqlState: sqlState(exception) });
    }
    const answer = known ?? INTERNAL;
    const response = host.switchToHttp().getResponse<Response>();
    response.status(HTTP_STATUS[answer.code]).json({
      code: answer.code,
      message: answer.text.ru,
      messageEn: answer.text.en,
      ...(answer.fields ? { fields: answer.fields } : {}),
      ...(answer.details ?? {}),
    });
  }
}
