import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { BilingualMessage, ErrorCode } from '../common/errors/error-code';

export interface RateLimit {
  /** What is limited, as the key's namespace: "sign-in-code:phone". */
  scope: string;
  /** The phone, the client address… */
  subject: string;
  limit: number;
  windowSeconds: number;
  /** What the person is told, without the wait (added here). */
  message: BilingualMessage;
}

export class RateLimitedException extends DomainException {
  constructor(text: BilingualMessage, retryAfterSeconds: number) {
    super(
      ErrorCode.RATE_LIMITED,
      { ru: `${text.ru}. Повторите через ${retryAfterSeconds} с`, en: `${text.en}. Retry in ${retryAfterSeconds} s` },
      undefined,
      { retryAfterSeconds },
    );
  }
}

/** Fixed-window counters in one upsert each: shared by all api processes, race-free. */
@Injectable()
export class RateLimitService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts a hit for every limit and refuses (RATE_LIMITED with retryAfterSeconds) when one is exceeded. */
  async consume(limits: RateLimit[]): Promise<void> {
    for (const limit of limits) {
      const [row] = await this.dataSource.query(
        `INSERT INTO rate_limit_counter (key, window_start, hits)
         VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2::int) * $2::int), 1)
         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counter.hits + 1
         RETURNING hits, ceil(extract(epoch FROM window_start + make_interval(secs => $2::int) - now()))::int AS "retryAfter"`,
        [`${limit.scope}:${limit.subject}`, limit.windowSeconds],
      );
      if (row.hits > limit.limit) throw new RateLimitedException(limit.message, Math.max(1, row.retryAfter));
    }
  }

  /** Housekeeping: windows that ended more than a day ago. */
  async purgeOld(): Promise<number> {
    const [, deleted] = await this.dataSource.query(`DELETE FROM rate_limit_counter WHERE window_start < now() - interval '1 day'`);
    return deleted ?? 0;
  }
}
