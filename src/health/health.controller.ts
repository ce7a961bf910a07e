import { Controller, Get, Inject, OnApplicationShutdown, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

type Status = 'up' | 'down' | 'disabled';

async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<Status> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness and dependencies for load balancers and people: 200 when the database (and Redis, if used) answer, else 503. */
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private readonly redis?: Redis;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.redisUrl) this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  }

  @Get()
  async health(@Res() response: Response): Promise<void> {
    const [database, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      this.redis ? probe(async () => {
        if (this.redis!.status === 'wait') await this.redis!.connect();
        return this.redis!.ping();
      }) : Promise.resolve<Status>('disabled'),
    ]);
    const healthy = database === 'up' && redis !== 'down';
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', database, redis });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
