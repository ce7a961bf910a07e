import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appLogger } from '../common/logging/json-logger';
import { JobHandlerRegistry } from './handler-registry';
import { DEFAULT_JOB_OPTIONS, JobOptions, JobQueue, QUEUE_NAMES, QueueCounts, QueueName } from './job-queue';

/**
 * Without Redis the same handlers run in this process: each job is attempted with the same
 * exponential backoff Bull would use. Nothing survives a restart here — that is what Redis is for.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly processes = true;
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly activeIds = new Set<string>();
  private stopping = false;
  private readonly tally = new Map<QueueName, QueueCounts>(
    QUEUE_NAMES.map((name) => [name, { name, waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 }]),
  );

  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  async add<T>(queue: QueueName, name: string, data: T, options: JobOptions = {}): Promise<string> {
    const id = options.jobId ?? randomUUID();
    if (this.activeIds.has(id)) return id;
    const entry = this.registry.forQueue(queue).find((h) => h.target.name === name);
    if (!entry) throw new Error(`No handler for job ${queue}/${name}`);
    this.activeIds.add(id);
    const attempts = options.attempts ?? DEFAULT_JOB_OPTIONS.attempts;
    const backoffMs = options.backoffMs ?? DEFAULT_JOB_OPTIONS.backoffMs;
    const counts = this.tally.get(queue)!;
    const run = async (attemptsMade: number): Promise<void> => {
      counts[attemptsMade === 0 ? 'waiting' : 'delayed'] -= 1;
      counts.active += 1;
      try {
        await entry.handler.handle({ id, name, data, attemptsMade });
        this.activeIds.delete(id);
        counts.completed += 1;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        appLogger.warn('job attempt failed', { queue, name, jobId: id, attempt: attemptsMade + 1, error: message });
        if (attemptsMade + 1 >= attempts || this.stopping) {
          this.activeIds.delete(id);
          counts.failed += 1;
          appLogger.error('job failed for good', { queue, name, jobId: id, attempts: attemptsMade + 1 });
          return;
        }
        counts.delayed += 1;
        this.schedule(() => run(attemptsMade + 1), backoffMs * 2 ** attemptsMade);
      } finally {
        counts.active -= 1;
      }
    };
    counts.waiting += 1;
    this.schedule(() => run(0), 0);
    return id;
  }

  async counts(): Promise<QueueCounts[]> {
    return QUEUE_NAMES.map((name) => ({ ...this.tally.get(name)! }));
  }

  async addRepeating(queue: QueueName, name: string, everyMs: number): Promise<void> {
    const tick = () => {
      void this.add(queue, name, {}, { jobId: `repeat:${name}` });
      this.schedule(async () => tick(), everyMs);
    };
    this.schedule(async () => tick(), everyMs);
  }

  private schedule(task: () => Promise<void>, delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const promise = task().finally(() => this.running.delete(promise));
      this.running.add(promise);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Graceful shutdown: no new attempts, and the ones under way finish. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
