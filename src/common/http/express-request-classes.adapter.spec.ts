import { Controller, Get, INestApplication, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Express, Request } from 'express';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressRequestClassesAdapter } from './express-request-classes.adapter';

@Controller()
class EchoController {
  @Get('echo')
  echo(@Req() request: Request): { header: string | undefined; query: unknown } {
    // Express's own request helpers (req.get, req.query) must work on the server's request objects.
    return { header: request.get('x-probe'), query: request.query };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('ExpressRequestClassesAdapter', () => {
  let app: INestApplication;
  let url: string;
  const prototypesOnArrival: object[] = [];

  beforeAll(async () => {
    app = await NestFactory.create(EchoModule, new ExpressRequestClassesAdapter(), { logger: false });
    const server = app.getHttpServer() as Server;
    // Runs before Express sees the request: what the HTTP server itself built.
    server.prependListener('request', (request: IncomingMessage) =>
      prototypesOnArrival.push(Object.getPrototypeOf(request)),
    );
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  it('serves requests whose objects are born with Express prototypes and behave as Express ones', async () => {
    const response = await fetch(`${url}/echo?a=1`, { headers: { 'x-probe': 'yes' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ header: 'yes', query: { a: '1' } });
    const express = app.getHttpAdapter().getInstance() as Express;
    expect(prototypesOnArrival).toEqual([express.request]);
  });

  it('answers errors through Express as before', async () => {
    const response = await fetch(`${url}/missing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404 });
  });
});
