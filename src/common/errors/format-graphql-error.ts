import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainException } from './domain.exception';
import { domainErrorOfDatabase } from './database-errors';
import { ErrorCode } from './error-code';
import { appLogger } from '../logging/json-logger';

/** Apollo's own codes for malformed requests; all of them are the client's fault. */
const CLIENT_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Which request an error arose in, for the log line of an unhandled one (see requestIdPlugin). */
const requestOfError = new WeakMap<object, string>();

/**
 * Apollo hands its plugins the request's errors before it formats them, and the formatter gets no
 * context: the plugin notes each error's request id here, so an unhandled error's log line names the
 * request the client saw in X-Request-Id even when requests are not traced (AppConfig.requestTracing).
 */
export function noteErrorsRequest(errors: readonly object[], requestId: string | undefined): void {
  if (requestId) for (const error of errors) requestOfError.set(error, requestId);
}

/**
 * The single place where errors become what a client sees. A DomainException keeps its code,
 * Russian message and English twin; request errors become BAD_USER_INPUT; everything else is
 * logged with its stack and answered as INTERNAL without internals.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  const thrown =
    unwrapped instanceof GraphQLError && unwrapped.originalError instanceof DomainException
      ? unwrapped.originalError
      : unwrapped;
  const original = thrown instanceof DomainException ? thrown : (domainErrorOfDatabase(thrown) ?? thrown);
  if (original instanceof DomainException) {
    return {
      message: original.text.ru,
      path: formatted.path,
      locations: formatted.locations,
      extensions: {
        code: original.code,
        messageEn: original.text.en,
        ...(original.fields ? { fields: original.fields } : {}),
        ...(original.details ?? {}),
      },
    };
  }
  const variable = variableCoercionError(formatted.message);
  if (variable) {
    return {
      message: `Некорректное значение ${variable.path}: ${variable.reason}`,
      locations: formatted.locations,
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        messageEn: formatted.message,
        fields: [{ path: variable.path, message: variable.reason, messageEn: variable.reason }],
      },
    };
  }
  const apolloCode = formatted.extensions?.code;
  if (typeof apolloCode === 'string' && CLIENT_REQUEST_CODES.has(apolloCode)) {
    return {
      message: `Некорректный запрос: ${formatted.message}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, messageEn: formatted.message },
    };
  }
  const requestId = typeof error === 'object' && error !== null ? requestOfError.get(error) : undefined;
  appLogger.error('Unhandled GraphQL error', {
    error: describe(original),
    path: formatted.path,
    code: formatted.extensions?.code,
    ...(requestId ? { requestId } : {}),
  });
  return {
    message: 'Внутренняя ошибка сервера. Повторите попытку позже или сообщите администратору.',
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL, messageEn: 'Internal server error' },
  };
}

/**
 * graphql-js reports a variable that fails type coercion (a bad enum, a malformed Decimal, a
 * missing required field) as 'Variable "$input" got invalid value … at "input.area"; reason'.
 */
export function variableCoercionError(message: string): { path: string; reason: string } | null {
  const match =
    /^Variable "\$(\w+)" (?:got invalid value .*?(?: at "([^"]+)")?|of required type .*?)(?:;\s*(.*))?$/s.exec(message);
  if (!match) return null;
  return { path: match[2] ?? match[1], reason: match[3] ?? message };
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}
