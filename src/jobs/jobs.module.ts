import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import { BullModule } from '@nestjs/bull';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/config';
import { BullJobQueue } from './bull-job-queue';
import { JobHandlerRegistry } from './handler-registry';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, QUEUE_NAMES } from './job-queue';

/**
 * Redis connections handed to Bull through `createClient`. Bull treats such connections as shared
 * and never closes them, so they are tracked here and closed after the queues on shutdown.
 */
export class BullRedisConnections {
  private readonly open = new Map<Redis, 'client' | 'subscriber' | 'bclient'>();

  /** `name` labels every connection in Redis's CLIENT LIST, so an operator can tell whose they are. */
  constructor(
    private readonly url: string,
    private readonly name: string,
  ) {}

  /** Bull's blocking and subscriber connections must never give up on a command or wait for a ready check. */
  create(type: 'client' | 'subscriber' | 'bclient', overrides: RedisOptions = {}): Redis {
    const blocking = type !== 'client';
    const client = new Redis(this.url, {
      ...overrides,
      connectionName: `${this.name}:${type}`,
      maxRetriesPerRequest: blocking ? null : overrides.maxRetriesPerRequest,
      enableReadyCheck: !blocking,
    });
    this.open.set(client, type);
    return client;
  }

  async closeAll(): Promise<void> {
    // Bull reconnects its blocking connection while pausing, so a client that once ended may be open again.
    // A blocking connection would answer QUIT only after its BRPOPLPUSH times out: cut it instead.
    await Promise.allSettled(
      [...this.open]
        .filter(([client]) => client.status !== 'end')
        .map(([client, type]) => (type === 'bclient' ? client.disconnect() : client.quit().catch(() => client.disconnect()))),
    );
    this.open.clear();
  }
}

@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const processes = config.role !== 'api';
    if (!config.redisUrl) {
      return {
        module: JobsModule,
        imports: [DiscoveryModule],
        providers: [JobHandlerRegistry, InProcessJobQueue, { provide: JobQueue, useExisting: InProcessJobQueue }],
        exports: [JobQueue],
      };
    }
    const connections = new BullRedisConnections(config.redisUrl, `domovoy:${config.role}:${config.queuePrefix}`);
    return {
      module: JobsModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({
          // A hash tag keeps every key of a queue in one Redis Cluster slot.
          prefix: config.queuePrefix,
          settings: { lockDuration: config.queueLockMs, lockRenewTime: config.queueLockMs / 2, stalledInterval: config.queueLockMs, maxStalledCount: 2 },
          createClient: (type, options) => connections.create(type, options),
        }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ],
      providers: [
        JobHandlerRegistry,
        {
          provide: JobQueue,
          useFactory: (moduleRef: ModuleRef, registry: JobHandlerRegistry) => new BullJobQueue(moduleRef, registry, connections, processes),
          inject: [ModuleRef, JobHandlerRegistry],
        },
      ],
      exports: [JobQueue],
    };
  }
}
