import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/config';
import { answerScrape } from './metrics-access';

/**
 * METRICS_PORT: a listener of its own that serves only /metrics (and /health/live, for the worker's
 * container healthcheck). It is the worker's only HTTP; an api can use it to keep metrics off its public port.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The port it listens on (METRICS_PORT=0 picks a free one), when it does. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.observability.metricsPort;
    if (port === undefined) return;
    const token = this.config.observability.metricsToken;
    const server = createServer((request, response) => {
      const path = request.url?.split('?')[0];
      if (request.method === 'GET' && path === '/metrics') {
        answerScrape(request, response, token).catch((error: unknown) => {
          appLogger.error('metrics scrape failed', { error });
          if (!response.headersSent) response.writeHead(500);
          response.end();
        });
      } else if (request.method === 'GET' && path === '/health/live') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(port, port === 0 ? '127.0.0.1' : undefined, resolve),
    );
    this.server = server;
    appLogger.info('Metrics are served', { port: this.port });
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
