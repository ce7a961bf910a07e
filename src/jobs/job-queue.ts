import { SetMetadata } from '@nestjs/common';

/** Bull queue names; `imports` and `notifications` get their handlers in their own modules. */
export type QueueName = 'housekeeping' | 'imports' | 'notifications';
export const QUEUE_NAMES: QueueName[] = ['housekeeping', 'imports', 'notifications'];

export interface JobOptions {
  /** Total tries, the first included. */
  attempts?: number;
  /** First retry delay; each next one doubles it. */
  backoffMs?: number;
  /** Same id = same job: enqueuing it again is a no-op while it exists. */
  jobId?: string;
}

export const DEFAULT_JOB_OPTIONS: Required<Omit<JobOptions, 'jobId'>> = { attempts: 5, backoffMs: 1000 };

export interface JobRun<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** Tries already made before this one (0 on the first). */
  attemptsMade: number;
}

export interface JobHandler<T = unknown> {
  handle(job: JobRun<T>): Promise<unknown>;
}

export interface JobHandlerTarget {
  queue: QueueName;
  name: string;
  concurrency?: number;
}

export const JOB_HANDLER_METADATA = 'domovoy:job-handler';

/** Marks a provider as the handler of one job name on one queue (found by the jobs module at start). */
export const JobHandlerFor = (target: JobHandlerTarget) => SetMetadata(JOB_HANDLER_METADATA, target);

/** How many jobs of one queue are in each state: what the dashboard, `jobQueues` and the metrics show. */
export interface QueueCounts {
  name: QueueName;
  waiting: number;
  /** Waiting for a retry's backoff (or a repeat's next run). */
  delayed: number;
  active: number;
  /** Since the process started (in-process) or within Bull's retention (a day, up to 1000 per queue). */
  completed: number;
  /** Failed for good: no attempt left. */
  failed: number;
}

/** Enqueues work: Bull on Redis when REDIS_URL is set, in-process otherwise; the handlers are the same classes. */
export abstract class JobQueue {
  abstract add<T>(queue: QueueName, name: string, data: T, options?: JobOptions): Promise<string>;
  /** Runs `name` every `everyMs`; idempotent across processes and restarts. */
  abstract addRepeating(queue: QueueName, name: string, everyMs: number): Promise<void>;
  /** Whether this process runs job handlers (role `all` or `worker`). */
  abstract readonly processes: boolean;
  /** Every queue's counts, in QUEUE_NAMES order. */
  abstract counts(): Promise<QueueCounts[]>;
}
