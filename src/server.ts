import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { requestContextMiddleware } from './common/context/request-context.middleware';
import { ExpressRequestClassesAdapter } from './common/http/express-request-classes.adapter';
import { installRequestBodies } from './common/http/request-body';
import { appLogger } from './common/logging/json-logger';
import { AppConfig } from './config/config';
import { OrganizationsService, BootstrapResult } from './organizations/organizations.service';

export interface RunningServer {
  app: INestApplication | INestApplicationContext;
  /** http://127.0.0.1:port, when this role serves HTTP. */
  url?: string;
  bootstrap: BootstrapResult | null;
  close(): Promise<void>;
}

/**
 * Builds and starts the application for the configured role against a database whose migrations
 * have run. Used by main and by the e2e tests, so both run exactly the same wiring.
 */
export async function startServer(config: AppConfig, databaseUrl: string): Promise<RunningServer> {
  const module = AppModule.forRoot(config, databaseUrl);
  if (config.role === 'worker') {
    const context = await NestFactory.createApplicationContext(module, { logger: appLogger });
    context.enableShutdownHooks();
    await context.init();
    return { app: context, bootstrap: null, close: () => context.close() };
  }
  const app = await NestFactory.create<NestExpressApplication>(module, new ExpressRequestClassesAdapter(), {
    logger: appLogger,
    bodyParser: false,
  });
  if (config.trustProxy)
    app.set('trust proxy', /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy);
  app.use(requestContextMiddleware({ tracing: config.requestTracing }));
  installRequestBodies(app, config.graphql.maxBodyBytes);
  app.enableCors({ origin: true, exposedHeaders: ['X-Request-Id'] });
  await app.init();
  const bootstrap = await app.get(OrganizationsService).bootstrapIfEmpty({
    adminEmail: config.bootstrapAdminEmail,
    adminPassword: config.bootstrapAdminPassword,
  });
  const server = config.port === 0 ? await app.listen(0, '127.0.0.1') : await app.listen(config.port);
  const { port } = server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, bootstrap, close: () => app.close() };
}
