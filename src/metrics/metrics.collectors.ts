import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { sqlStatementCounter } from '../database/data-source-options';
import { PreparedReadsPool } from '../database/prepared';
import { JobQueue } from '../jobs/job-queue';
import { NotificationsService } from '../notifications/notifications.service';
import { metricsRegistry } from './metrics';

const QUEUE_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;

/**
 * The gauges read when Prometheus scrapes, not on the request path: database pools, queues, the
 * notification outbox and the SQL statement total. Registered anew by each application instance
 * (tests start several in one process), replacing the previous instance's.
 */
@Injectable()
export class MetricsCollectors implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly preparedReads: PreparedReadsPool,
    private readonly queue: JobQueue,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    for (const name of [
      'domovoy_sql_statements_total',
      'domovoy_db_pool_connections',
      'domovoy_db_pool_waiting_clients',
      'domovoy_db_pool_max_connections',
      'domovoy_queue_jobs',
      'domovoy_notification_outbox_messages',
    ]) {
      metricsRegistry.removeSingleMetric(name);
    }
    this.sqlStatements();
    this.pools();
    this.queues();
    this.outbox();
  }

  private sqlStatements(): void {
    let reported = sqlStatementCounter.total;
    new Counter({
      name: 'domovoy_sql_statements_total',
      help: 'SQL statements sent by this process (per request: divide its rate by the request rate, or see domovoy_http_request_sql_statements)',
      registers: [metricsRegistry],
      collect() {
        this.inc(sqlStatementCounter.total - reported);
        reported = sqlStatementCounter.total;
      },
    });
  }

  private pools(): void {
    const pools = (): [string, Pool | null][] => [
      ['main', (this.dataSource.driver as PostgresDriver).master as Pool],
      ['prepared', this.preparedReads.connections],
    ];
    new Gauge({
      name: 'domovoy_db_pool_connections',
      help: 'Database pool connections by state (busy = checked out by a query or transaction)',
      labelNames: ['pool', 'state'] as const,
      registers: [metricsRegistry],
      collect() {
        for (const [name, pool] of pools()) {
          if (!pool) continue;
          this.set({ pool: name, state: 'busy' }, pool.totalCount - pool.idleCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
        }
      },
    });
    new Gauge({
      name: 'domovoy_db_pool_waiting_clients',
      help: 'Queries waiting for a free connection of the pool (above 0 for long: the pool is too small or a query holds it)',
      labelNames: ['pool'] as const,
      registers: [metricsRegistry],
      collect() {
        for (const [name, pool] of pools()) if (pool) this.set({ pool: name }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'domovoy_db_pool_max_connections',
      help: 'Size limit of the pool',
      labelNames: ['pool'] as const,
      registers: [metricsRegistry],
      collect() {
        for (const [name, pool] of pools())
          if (pool) this.set({ pool: name }, (pool as Pool & { options: { max?: number } }).options.max ?? 10);
      },
    });
  }

  private queues(): void {
    const queue = this.queue;
    new Gauge({
      name: 'domovoy_queue_jobs',
      help: 'Jobs per queue and state (Bull on Redis: all processes; in-process: this one)',
      labelNames: ['queue', 'state'] as const,
      registers: [metricsRegistry],
      async collect() {
        for (const counts of await queue.counts())
          for (const state of QUEUE_STATES) this.set({ queue: counts.name, state }, counts[state]);
      },
    });
  }

  private outbox(): void {
    const notifications = this.notifications;
    new Gauge({
      name: 'domovoy_notification_outbox_messages',
      help: 'Notification outbox by status: PENDING is the backlog, DEAD the dead letters (every attempt failed)',
      labelNames: ['status'] as const,
      registers: [metricsRegistry],
      async collect() {
        const backlog = await notifications.backlog();
        this.reset();
        for (const [status, count] of Object.entries(backlog)) this.set({ status }, count);
      },
    });
  }
}
