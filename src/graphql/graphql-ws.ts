import type { IncomingMessage } from 'node:http';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Context, ServerOptions } from 'graphql-ws';
import { formatGraphqlError } from '../common/errors/format-graphql-error';

/** What graphql-ws/use/ws puts in `ctx.extra`, plus the token read once when the socket connects. */
export interface WsExtra {
  request: IncomingMessage;
  authorization?: string;
}

export type WsContext = Context<Record<string, unknown> | undefined, WsExtra>;

/**
 * The Authorization header of a socket: browsers cannot set headers on a WebSocket, so clients send
 * it in connection_init's payload — `authorization` (or `Authorization`) like the header, or a bare `token`.
 */
export function connectionAuthorization(params: Record<string, unknown> | undefined): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === 'string' && header !== '') return header;
  const token = params?.token;
  if (typeof token === 'string' && token !== '') return /^Bearer\s/i.test(token) ? token : `Bearer ${token}`;
  return undefined;
}

export function isWsContext(input: unknown): input is WsContext {
  // connectionParams is absent when the client sends none, so tell by graphql-ws's own fields.
  return typeof input === 'object' && input !== null && 'extra' in input && 'subscriptions' in input && 'acknowledged' in input;
}

/** Errors the server found before running anything (validation): the client's fault, like Apollo's GRAPHQL_VALIDATION_FAILED. */
function formatWsError(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  if (error.originalError) return formatGraphqlError(formatted, error);
  return formatGraphqlError({ ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }, error);
}

/**
 * graphql-ws on the HTTP endpoint's path. Every socket is accepted: authentication runs per operation in
 * the context factory and the global guard, so a bad token is an UNAUTHENTICATED error of the
 * subscription (the same answer as over HTTP), not an unexplained close. Apollo's formatError does not
 * see socket traffic, so results and errors go through the same formatter here.
 */
export function graphqlWsOptions(path: string): GraphQLWsSubscriptionsConfig {
  const options: { path: string } & Pick<ServerOptions<Record<string, unknown> | undefined, WsExtra>, 'onConnect' | 'onNext' | 'onError'> = {
    path,
    onConnect: (ctx) => {
      ctx.extra.authorization = connectionAuthorization(ctx.connectionParams);
      return true;
    },
    onNext: (_ctx, _id, _payload, _args, result) => {
      if (!result.errors) return undefined;
      return { ...result, errors: result.errors.map(formatWsError) };
    },
    onError: (_ctx, _id, _payload, errors) => errors.map(formatWsError),
  };
  // Nest's type lists fewer hooks than it passes on to graphql-ws (onError among them).
  return options as GraphQLWsSubscriptionsConfig;
}
