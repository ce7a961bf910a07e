import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { runSql, sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobQueue } from '../jobs/job-queue';
import { NotificationEntity } from './notification.entity';
import { NotificationChannel, NotificationStatus } from './notification-enums';
import { NotificationTransport } from './notification-transport';
import { transportsFor } from './transports';

export const DELIVER_NOTIFICATION_JOB = 'deliver';

export interface NewNotification {
  organizationId: string | null;
  channel: NotificationChannel;
  recipient: string;
  subject?: string | null;
  body: string;
  dedupKey: string;
  redactAfterDelivery?: boolean;
}

export type DeliveryOutcome = 'sent' | 'already-done' | 'dead';

@Injectable()
export class NotificationsService implements OnApplicationShutdown {
  private readonly transports: Record<NotificationChannel, NotificationTransport>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {
    this.transports = transportsFor(config.notifications);
  }

  /**
   * Writes messages inside the caller's transaction. Returns the ids of the rows written now (a
   * message whose dedup key exists is not written again); hand them to `dispatch` after commit.
   */
  async write(tx: EntityManager, messages: NewNotification[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values(
        messages.map((m) => ({
          ...m,
          subject: m.subject ?? null,
          redactAfterDelivery: m.redactAfterDelivery ?? false,
        })),
      )
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((row) => String(row.id));
  }

  /** Queues delivery of committed rows. If this never runs (a crash), the sweep picks them up. */
  async dispatch(ids: string[]): Promise<void> {
    const { attempts, backoffMs } = this.config.notifications;
    for (const id of ids)
      await this.queue.add(
        'notifications',
        DELIVER_NOTIFICATION_JOB,
        { id },
        { jobId: `deliver:${id}`, attempts, backoffMs },
      );
  }

  /** Rows still pending a while after they were written: their dispatch was lost with a process. */
  async dispatchStale(olderThanSeconds: number): Promise<number> {
    const rows: { id: string }[] = await runSql(
      this.dataSource,
      sql`SELECT id FROM notification_outbox WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => ${olderThanSeconds}::int) ORDER BY id LIMIT 1000`,
    );
    await this.dispatch(rows.map((r) => String(r.id)));
    return rows.length;
  }

  /**
   * One delivery attempt. A failure is recorded and rethrown so the queue retries with backoff;
   * the last allowed attempt marks the message dead instead.
   */
  async deliver(id: string, attemptsMade: number): Promise<DeliveryOutcome> {
    const repository = this.dataSource.getRepository(NotificationEntity);
    const message = await repository.findOneBy({ id });
    if (!message || message.status !== NotificationStatus.PENDING) return 'already-done';
    try {
      await this.transports[message.channel].send(message);
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      const final = attemptsMade + 1 >= this.config.notifications.attempts;
      await repository.update(
        { id, status: NotificationStatus.PENDING },
        {
          attempts: () => 'attempts + 1',
          lastError,
          ...(final ? { status: NotificationStatus.DEAD, body: message.redactAfterDelivery ? '' : message.body } : {}),
        },
      );
      if (final) return 'dead';
      throw error;
    }
    await repository.update(
      { id },
      {
        status: NotificationStatus.SENT,
        sentAt: new Date(),
        attempts: () => 'attempts + 1',
        lastError: null,
        ...(message.redactAfterDelivery ? { body: '' } : {}),
      },
    );
    return 'sent';
  }

  async byDedupKeys(keys: string[]): Promise<NotificationEntity[]> {
    return this.dataSource.getRepository(NotificationEntity).findBy({ dedupKey: In(keys) });
  }

  /** The outbox's backlog (PENDING) and dead letters (DEAD, every attempt failed), for the metrics gauge. */
  async backlog(): Promise<Record<NotificationStatus.PENDING | NotificationStatus.DEAD, number>> {
    // SENT rows are many and not interesting to alert on; the two that are come from the pending index.
    const rows = await runSql<{ status: string; count: string }>(
      this.dataSource,
      sql`SELECT status, count(*) AS count FROM notification_outbox WHERE status IN ('PENDING', 'DEAD') GROUP BY status`,
    );
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
    return { PENDING: count('PENDING'), DEAD: count('DEAD') };
  }

  onApplicationShutdown(): void {
    for (const transport of new Set(Object.values(this.transports))) transport.close?.();
  }
}
