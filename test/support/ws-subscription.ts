import { Client as WsClient, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphqlResult } from './test-app';

/** A graphql-ws client against the test server's /graphql, as a browser would open it. */
export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): WsClient {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One subscription: results in arrival order, each awaited with a timeout, and its end. */
export class Subscription {
  private readonly iterator: AsyncIterableIterator<GraphqlResult>;

  constructor(client: WsClient, query: string, variables: Record<string, unknown>) {
    this.iterator = client.iterate({ query, variables }) as AsyncIterableIterator<GraphqlResult>;
  }

  /** The next result; fails if the subscription ends or nothing arrives in time. */
  async next(what: string): Promise<GraphqlResult> {
    const result = await withTimeout(this.iterator.next(), what);
    if (result.done) throw new Error(`the subscription ended while waiting for ${what}`);
    return result.value;
  }

  /** Resolves when the server completes the subscription (fails if another result comes first). */
  async completed(): Promise<void> {
    const result = await withTimeout(this.iterator.next(), 'the subscription to complete');
    if (!result.done) throw new Error(`expected completion, got ${JSON.stringify(result.value)}`);
  }

  async stop(): Promise<void> {
    await this.iterator.return?.();
  }
}
