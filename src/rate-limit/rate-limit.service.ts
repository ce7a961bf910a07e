import { Injectable } from '@nestjs/common';
import { runSql, runSqlCount, sql, Sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { BilingualMessage, ErrorCode } from '../common/errors/error-code';

/** One counter: what is counted (the key's namespace), whose (phone, address, e-mail) and in which window. */
export interface RateCounter {
  /** What is limited, as the key's namespace: "sign-in-code:phone". */
  scope: string;
  /** The phone, the client address… */
  subject: string;
  windowSeconds: number;
}

export interface RateLimit extends RateCounter {
  limit: number;
  /** What the person is told, without the wait (added here). */
  message: BilingualMessage;
}

/** A counter's value after a hit, and how long until its window ends. */
export interface RateWindow {
  hits: number;
  retryAfterSeconds: number;
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

/** The current window's start for a window length in seconds, as SQL. */
function windowStart(seconds: number): Sql {
  return sql`to_timestamp(floor(extract(epoch FROM now()) / ${seconds}::int) * ${seconds}::int)`;
}

/**
 * Fixed-window counters in one upsert each, kept in PostgreSQL: shared by all api processes with or
 * without Redis, and race-free. The one home for counting requests (sign-in codes, resident and staff sign-ins).
 */
@Injectable()
export class RateLimitService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts a hit for every limit and refuses (RATE_LIMITED with retryAfterSeconds) when one is exceeded. */
  async consume(limits: RateLimit[]): Promise<void> {
    for (const limit of limits) {
      const window = await this.hit(limit);
      if (window.hits > limit.limit) throw new RateLimitedException(limit.message, window.retryAfterSeconds);
    }
  }

  /** Counts one hit in the current window and returns the count, this hit included. */
  async hit(counter: RateCounter): Promise<RateWindow> {
    const [row] = await runSql<{ hits: number; retryAfter: number }>(
      this.dataSource,
      sql`INSERT INTO rate_limit_counter (key, window_start, hits)
       VALUES (${keyOf(counter)}, ${windowStart(counter.windowSeconds)}, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counter.hits + 1
       RETURNING hits, ceil(extract(epoch FROM window_start + make_interval(secs => ${counter.windowSeconds}::int) - now()))::int AS "retryAfter"`,
    );
    return { hits: row.hits, retryAfterSeconds: Math.max(1, row.retryAfter) };
  }

  /** Takes back one hit of the current window (an attempt that turned out not to count). */
  async refund(counter: RateCounter): Promise<void> {
    await runSql(
      this.dataSource,
      sql`UPDATE rate_limit_counter SET hits = hits - 1 WHERE key = ${keyOf(counter)} AND window_start = ${windowStart(counter.windowSeconds)} AND hits > 0`,
    );
  }

  /** Forgets every window of one counter (e.g. an account's failed sign-ins once its owner signed in). */
  async reset(counter: Pick<RateCounter, 'scope' | 'subject'>): Promise<void> {
    await runSql(this.dataSource, sql`DELETE FROM rate_limit_counter WHERE key = ${keyOf(counter)}`);
  }

  /** Housekeeping: windows that ended more than a day ago. */
  async purgeOld(): Promise<number> {
    return runSqlCount(
      this.dataSource,
      sql`DELETE FROM rate_limit_counter WHERE window_start < now() - interval '1 day'`,
    );
  }
}

function keyOf(counter: Pick<RateCounter, 'scope' | 'subject'>): string {
  return `${counter.scope}:${counter.subject}`;
}
