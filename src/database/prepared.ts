import { createHash } from 'node:crypto';
import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool, PoolConfig } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { sqlStatementCounter } from './data-source-options';
import { Sql } from '../common/sql/sql';

const SLOW_MS = 1000;
/**
 * As many as TypeORM's pool. Under bench/load.ts (64 dispatchers, 20k contacts, shared 2-core machine,
 * two rounds each), 5 connections were the queue every card and typeahead waited in (60–70 queries
 * waiting on average); with 10 the mix served 69–85 answers/s instead of 49–60, cards alone 189–330
 * instead of 119–139 (0.48–0.59 of the bare floor instead of 0.25–0.33), the mix's card p99 320–400 ms
 * instead of 3.0–3.2 s.
 */
const PREPARED_POOL_SIZE = 10;
const names = new Map<string, string>();
const pools = new WeakMap<DataSource, Pool>();

/**
 * Runs a read as a named prepared statement: PostgreSQL parses it once per connection and plans it
 * once (a generic plan) instead of on every run. For the statements every card or list request runs,
 * parsing and planning took 3–8 times as long as executing (statement log, bench/contact-card.ts:
 * the places statement 0.2–0.4 ms to parse, 0.3–1 ms to plan, 0.14 ms to run); left to choose,
 * PostgreSQL kept planning them anew, since a generic plan cannot know an array parameter's length.
 *
 * The statements go to a pool of their own whose connections use generic plans for prepared
 * statements (PreparedReadsPool); TypeORM's pool keeps PostgreSQL's per-run choice for everything
 * else, where the parameter values matter (search patterns). Without that pool (scripts outside the
 * application) they run on TypeORM's pool.
 *
 * Only for texts built from a fixed set of templates (every distinct text stays prepared on each
 * connection for its life): lists of ids go in as arrays (`= ANY($2::uuid[])`), and the plan must not
 * depend on the values. Outside transactions only.
 */
export async function preparedQuery<T>(dataSource: DataSource, statement: Sql): Promise<T[]> {
  const { text, values } = statement;
  let name = names.get(text);
  if (!name) names.set(text, (name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  const pool = pools.get(dataSource) ?? ((dataSource.driver as PostgresDriver).master as Pool);
  sqlStatementCounter.logQuery(text);
  const start = performance.now();
  try {
    const result = await pool.query({ name, text, values });
    return result.rows as T[];
  } catch (error) {
    sqlStatementCounter.logQueryError(error as Error, text);
    // The shape TypeORM's own queries fail with, so callers handle both alike.
    throw new QueryFailedError(text, values, error as Error);
  } finally {
    const ms = performance.now() - start;
    if (ms > SLOW_MS) sqlStatementCounter.logQuerySlow(ms, text);
  }
}

const GENERIC_PLANS = '-c plan_cache_mode=force_generic_plan';

/**
 * The connection settings with one more server setting sent at startup (`-c name=value`). pg takes
 * a connection string's parameters over the config's own, so an `options=` in DATABASE_URL would
 * replace a config `options`: the setting joins whatever options the URL and the config carry.
 */
export function withStartupOption(config: PoolConfig, option: string): PoolConfig {
  const joined = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ');
  const url = config.connectionString ? parsedUrl(config.connectionString) : null;
  if (url) {
    url.searchParams.set('options', joined(config.options, url.searchParams.get('options'), option));
    return { ...config, connectionString: url.toString(), options: undefined };
  }
  // No connection string, or one only libpq reads ("postgres://user@/db?host=/tmp"): pg uses the
  // config's options unless that string names its own.
  return { ...config, options: joined(config.options, option) };
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * The prepared reads' connections: the application's database settings, generic plans, their own few
 * connections. The one `pg` pool besides TypeORM's, kept for a reason TypeORM's cannot serve: named
 * prepared statements (TypeORM sends every query unnamed) on connections started with
 * plan_cache_mode=force_generic_plan, which TypeORM's pool must not have (search patterns need per-run
 * plans). The SQL itself is composed like every other statement (common/sql/sql.ts).
 */
@Injectable()
export class PreparedReadsPool implements OnModuleInit, OnApplicationShutdown {
  private pool: Pool | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For the pool gauges of /metrics. */
  get connections(): Pool | null {
    return this.pool;
  }

  onModuleInit(): void {
    const base = ((this.dataSource.driver as PostgresDriver).master as Pool & { options: PoolConfig }).options;
    const extra = (this.dataSource.options.extra ?? {}) as { application_name?: string };
    // A startup option, not a SET on 'connect': that SET raced the pool's first query on the same client
    // (pg's "client is already executing a query" deprecation, an error in pg 9).
    this.pool = new Pool(
      withStartupOption(
        { ...base, max: PREPARED_POOL_SIZE, application_name: `${extra.application_name ?? 'domovoy'}-prepared` },
        GENERIC_PLANS,
      ),
    );
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    pools.set(this.dataSource, this.pool);
  }

  async onApplicationShutdown(): Promise<void> {
    if (pools.get(this.dataSource) === this.pool) pools.delete(this.dataSource);
    await this.pool?.end();
    this.pool = null;
  }
}
