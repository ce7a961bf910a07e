import type { IncomingMessage } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request } from 'express';
import { ExecutionArgs, GraphQLError, GraphQLFormattedError, parse, validate } from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { APP_CONFIG, AppConfig } from '../config/config';
import { formatGraphqlError } from '../common/errors/format-graphql-error';
import { GraphqlContextBuilder } from './graphql-context-builder';
import { OperationGate } from './gate/operation-gate';
import { OPERATION_GATE } from './gate/gate.tokens';

/** What graphql-ws/use/ws puts in `ctx.extra`, plus the token read once when the socket connects. */
export type WsExtra = {
  request: IncomingMessage;
  authorization?: string;
};

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

/** Errors the server found before running anything (validation): the client's fault, like Apollo's GRAPHQL_VALIDATION_FAILED. */
function formatWsError(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  if (error.originalError) return formatGraphqlError(formatted, error);
  return formatGraphqlError(
    { ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } },
    error,
  );
}

/**
 * graphql-ws on /graphql, set up by us rather than by the GraphQL driver so that it shares the HTTP
 * endpoint's gate and context by construction: each subscribe message is parsed, validated, admitted
 * by the OperationGate (subscriptions only; the same limits as HTTP) and given a context from the same
 * builder as a request. A message larger than an HTTP body may be is refused by the socket itself
 * (`maxPayload`: close code 1009) before it is buffered whole.
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private sockets?: WebSocketServer;
  private disposable?: { dispose(): void | Promise<void> };
  private upgrade?: (request: Request, socket: Duplex, head: Buffer) => void;

  constructor(
    private readonly httpHost: HttpAdapterHost,
    private readonly modules: ModuleRef,
    private readonly contexts: GraphqlContextBuilder,
    @Inject(OPERATION_GATE) private readonly gate: OperationGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const httpServer = this.httpHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!httpServer) return;
    const schemaHost = this.modules.get(GraphQLSchemaHost, { strict: false });
    const sockets = new WebSocketServer({ noServer: true, maxPayload: this.config.graphql.maxBodyBytes });
    this.sockets = sockets;
    this.disposable = useServer<Record<string, unknown> | undefined, WsExtra>(
      {
        onConnect: (ctx) => {
          ctx.extra.authorization = connectionAuthorization(ctx.connectionParams);
          return true;
        },
        onSubscribe: (ctx, _id, payload) => this.admit(schemaHost.schema, ctx, payload),
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors ? { ...result, errors: result.errors.map(formatWsError) } : undefined,
        onError: (_ctx, _id, _payload, errors) => errors.map(formatWsError),
      },
      sockets,
    );
    this.upgrade = (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') return void socket.destroy();
      sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
    };
    httpServer.on('upgrade', this.upgrade);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.upgrade) (this.httpHost.httpAdapter.getHttpServer() as Server).off('upgrade', this.upgrade);
    await this.disposable?.dispose();
    await new Promise<void>((resolve) => (this.sockets ? this.sockets.close(() => resolve()) : resolve()));
  }

  /** Parse, validate, gate, then the context: what HTTP does before it executes. */
  private async admit(
    schema: ExecutionArgs['schema'],
    ctx: WsContext,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    let document: ExecutionArgs['document'];
    try {
      document = parse(payload.query);
    } catch (error) {
      return [error as GraphQLError];
    }
    const invalid = validate(schema, document);
    if (invalid.length) return invalid;
    const contextValue = await this.contexts.build(ctx.extra.request as Request, ctx.extra.authorization);
    try {
      this.gate.admit(
        { schema, document, operationName: payload.operationName, variables: payload.variables, transport: 'ws' },
        contextValue,
      );
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
  }
}
