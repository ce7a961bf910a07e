import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { appLogger } from '../common/logging/json-logger';
import { JobHandlerRegistry } from './handler-registry';
import type { BullRedisConnections } from './bull-redis-connections';
import { DEFAULT_JOB_OPTIONS, JobOptions, JobQueue, QUEUE_NAMES, QueueCounts, QueueName } from './job-queue';

/** Bull on Redis: jobs survive restarts, retries back off exponentially, any number of workers share them. */
@Injectable()
export class BullJobQueue extends JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: JobHandlerRegistry,
    private readonly connections: BullRedisConnections,
    readonly processes: boolean,
  ) {
    super();
  }

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  onApplicationBootstrap(): void {
    if (!this.processes) return;
    for (const queueName of QUEUE_NAMES) {
      for (const { target, handler } of this.registry.forQueue(queueName)) {
        void this.queue(queueName).process(target.name, target.concurrency ?? 1, async (job) => {
          appLogger.debug('job started', {
            queue: queueName,
            name: target.name,
            jobId: String(job.id),
            attempt: job.attemptsMade + 1,
          });
          return handler.handle({ id: String(job.id), name: job.name, data: job.data, attemptsMade: job.attemptsMade });
        });
      }
      this.queue(queueName).on('failed', (job, error) =>
        appLogger.warn('job attempt failed', {
          queue: queueName,
          name: job.name,
          jobId: String(job.id),
          attempt: job.attemptsMade,
          error: error.message,
        }),
      );
    }
  }

  /** Graceful shutdown: running jobs finish (Queue.close waits for them), then the connections go. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(QUEUE_NAMES.map((name) => this.queue(name).close()));
    await this.connections.closeAll();
  }

  async add<T>(queue: QueueName, name: string, data: T, options: JobOptions = {}): Promise<string> {
    const job = await this.queue(queue).add(name, data, {
      attempts: options.attempts ?? DEFAULT_JOB_OPTIONS.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULT_JOB_OPTIONS.backoffMs },
      jobId: options.jobId,
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return String(job.id);
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const counts = await this.queue(name).getJobCounts();
        return {
          name,
          waiting: counts.waiting,
          delayed: counts.delayed,
          active: counts.active,
          completed: counts.completed,
          failed: counts.failed,
        };
      }),
    );
  }

  async addRepeating(queue: QueueName, name: string, everyMs: number): Promise<void> {
    await this.queue(queue).add(
      name,
      {},
      {
        repeat: { every: everyMs },
        jobId: `repeat:${name}`,
        attempts: DEFAULT_JOB_OPTIONS.attempts,
        backoff: { type: 'exponential', delay: DEFAULT_JOB_OPTIONS.backoffMs },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }
}
