import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import { BullModule } from '@nestjs/bull';
import { AppConfig } from '../config/config';
import { BullJobQueue } from './bull-job-queue';
import { BullRedisConnections } from './bull-redis-connections';
import { JobHandlerRegistry } from './handler-registry';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, QUEUE_NAMES } from './job-queue';

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
          settings: {
            lockDuration: config.queueLockMs,
            lockRenewTime: config.queueLockMs / 2,
            stalledInterval: config.queueLockMs,
            maxStalledCount: 2,
          },
          createClient: (type, options) => connections.create(type, options),
        }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ],
      providers: [
        JobHandlerRegistry,
        {
          provide: JobQueue,
          useFactory: (moduleRef: ModuleRef, registry: JobHandlerRegistry) =>
            new BullJobQueue(moduleRef, registry, connections, processes),
          inject: [ModuleRef, JobHandlerRegistry],
        },
      ],
      exports: [JobQueue],
    };
  }
}
