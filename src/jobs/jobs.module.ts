import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import { BullModule } from '@nestjs/bull';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/config';
import { BullJobQueue } from './bull-job-queue';
import { JobHandlerRegistry } from './handler-registry';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, QUEUE_NAMES } from './job-queue';

/** Bull's blocking and subscriber connections must never give up on a command or wait for a ready check. */
export function createBullRedisClient(url: string, type: 'client' | 'subscriber' | 'bclient', overrides: RedisOptions = {}): Redis {
  const blocking = type !== 'client';
  return new Redis(url, {
    ...overrides,
    maxRetriesPerRequest: blocking ? null : overrides.maxRetriesPerRequest,
    enableReadyCheck: !blocking,
  });
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
    const redisUrl = config.redisUrl;
    return {
      module: JobsModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({
          // A hash tag keeps every key of a queue in one Redis Cluster slot.
          prefix: config.queuePrefix,
          createClient: (type, options) => createBullRedisClient(redisUrl, type, options),
        }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ],
      providers: [
        JobHandlerRegistry,
        {
          provide: JobQueue,
          useFactory: (moduleRef: ModuleRef, registry: JobHandlerRegistry) => new BullJobQueue(moduleRef, registry, processes),
          inject: [ModuleRef, JobHandlerRegistry],
        },
      ],
      exports: [JobQueue],
    };
  }
}
