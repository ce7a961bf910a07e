import { Controller, Get, Inject, OnApplicationShutdown, Res } from '@nestjs/common';
import { runSql, sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

type Status = 'up' | 'down' | 'disabled';

async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<Status> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For load balancers, orchestrators and people. `/health` (kept as it always answered) and `/health/ready`:
 * 200 when the database (and Redis, if used) answer, else 503; `/health/ready` also waits for this
 * process's migrations to be applied. `/health/live`: the process serves HTTP at all.
 */
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private readonly redis?: Redis;
  /** Applied migrations stay applied: once seen, the check is not run again. */
  private migrationsApplied = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.redisUrl)
      this.redis = new Redis(config.redisUrl, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      });
  }

  @Get()
  async health(@Res() response: Response): Promise<void> {
    const { database, redis } = await this.dependencies();
    const healthy = database === 'up' && redis !== 'down';
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', database, redis });
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const [{ database, redis }, migrations] = await Promise.all([this.dependencies(), this.migrations()]);
    const ready = database === 'up' && redis !== 'down' && migrations === 'up';
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database, redis, migrations });
  }

  private async dependencies(): Promise<{ database: Status; redis: Status }> {
    const [database, redis] = await Promise.all([
      probe(() => runSql(this.dataSource, sql`SELECT 1`)),
      this.redis
        ? probe(async () => {
            if (this.redis!.status === 'wait') await this.redis!.connect();
            return this.redis!.ping();
          })
        : Promise.resolve<Status>('disabled'),
    ]);
    return { database, redis };
  }

  /** 'up' when every migration this build ships is applied ('down' while some are pending or the database does not answer). */
  private async migrations(): Promise<Status> {
    if (this.migrationsApplied) return 'up';
    const status = await probe(async () => {
      if (await this.dataSource.showMigrations()) throw new Error('pending migrations');
    });
    this.migrationsApplied = status === 'up';
    return status;
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
