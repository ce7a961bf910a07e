import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import type { Response } from 'express';
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

/**
 * Domain errors are answers, not failures. In GraphQL they go to the error formatter untouched; on
 * the REST endpoints (template, export) they become a JSON body with the same code and messages.
 */
@Catch(DomainException)
export class DomainExceptionFilter implements GqlExceptionFilter {
  catch(exception: DomainException, host: ArgumentsHost): DomainException | void {
    if (host.getType() !== 'http') return exception;
    const response = host.switchToHttp().getResponse<Response>();
    response.status(HTTP_STATUS[exception.code]).json({
      code: exception.code,
      message: exception.text.ru,
      messageEn: exception.text.en,
      ...(exception.fields ? { fields: exception.fields } : {}),
      ...(exception.details ?? {}),
    });
  }
}
