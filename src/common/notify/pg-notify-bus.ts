import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { runSql, sql } from '../sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ClientConfig, Notification } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { appLogger } from '../logging/json-logger';
import { NotificationIterator } from './notification-iterator';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (the default build's limit). */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7999;
const RECONNECT_FIRST_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 5000;
/**
 * A connection dropped without a word (a half-open TCP socket) raises no error for hours, and the
 * caches that trust the notifications would go on serving: the listener asks the server every so
 * often and counts no answer as a lost connection.
 */
const HEARTBEAT_EVERY_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/**
 * A subscriber that must know when notifications may have been missed (a cache it invalidates):
 * `message` gets each notification as it arrives, `reset` is called when the connection is lost.
 */
export interface ChannelWatcher {
  message(payload: unknown): void;
  reset(): void;
}

/** What `watch()` hands out: `live` is true while the channel is LISTENed on a working connection. */
export interface ChannelWatch {
  readonly live: boolean;
  close(): void;
}

interface ChannelState {
  iterators: Set<NotificationIterator>;
  watchers: Set<ChannelWatcher>;
  /** LISTENed on the current connection: nothing sent on the channel since then was missed. */
  live: boolean;
  /** Resolves once the channel is LISTENed on the current (or a later) connection. */
  listening: Promise<void>;
  markListening: () => void;
}

/** The iterator `listen()` hands out; `ready` says when notifications start to arrive. */
export type NotifyIterator = AsyncIterableIterator<unknown> & {
  readonly ready: Promise<void>;
  return(): Promise<IteratorResult<unknown>>;
};

/**
 * Cross-process events through PostgreSQL NOTIFY: a job running in a worker process publishes, the API
 * process that holds the subscriber's socket receives. Publishing goes through the caller's transaction
 * (so nothing is announced that then rolls back); listening uses one dedicated connection per process.
 */
@Injectable()
export class PgNotifyBus implements OnApplicationShutdown {
  private readonly channels = new Map<string, ChannelState>();
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectDelay = RECONNECT_FIRST_DELAY_MS;
  private shutDown = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Sends `payload` as JSON on `channel`; on a transaction's manager it goes out only on commit, on the
   * data source at once.
   */
  async publish(manager: EntityManager | DataSource, channel: string, payload: object): Promise<void> {
    const text = JSON.stringify(payload);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_NOTIFY_PAYLOAD_BYTES) {
      throw new Error(
        `NOTIFY payload on "${channel}" is ${bytes} bytes; PostgreSQL accepts at most ${MAX_NOTIFY_PAYLOAD_BYTES}`,
      );
    }
    await runSql(manager, sql`SELECT pg_notify(${channel}, ${text})`);
  }

  /**
   * Every notification on `channel` from now on (JSON-decoded), until the iterator's return().
   * Each iterator buffers on its own, so one slow subscriber does not hold back the others.
   */
  listen(channel: string): NotifyIterator {
    const owner = this.channelState(channel);
    const iterator = new NotificationIterator(owner.listening, () => this.forget(channel, owner, iterator));
    owner.iterators.add(iterator);
    return iterator;
  }

  /**
   * Calls `watcher` for every notification on `channel`, synchronously and without a buffer to
   * overflow, and tells it when the connection was lost (notifications sent meanwhile are gone).
   */
  watch(channel: string, watcher: ChannelWatcher): ChannelWatch {
    const owner = this.channelState(channel);
    owner.watchers.add(watcher);
    const channels = this.channels;
    return {
      get live() {
        return owner.live && channels.get(channel) === owner && owner.watchers.has(watcher);
      },
      close: () => {
        if (owner.watchers.delete(watcher)) this.forget(channel, owner);
      },
    };
  }

  private channelState(channel: string): ChannelState {
    if (this.shutDown) throw new Error('PgNotifyBus is shut down');
    const existing = this.channels.get(channel);
    if (existing) return existing;
    let markListening!: () => void;
    const listening = new Promise<void>((resolve) => (markListening = resolve));
    const state: ChannelState = { iterators: new Set(), watchers: new Set(), live: false, listening, markListening };
    this.channels.set(channel, state);
    void this.command(`LISTEN ${quote(channel)}`).then((done) => done && this.markLive(state));
    return state;
  }

  private markLive(state: ChannelState): void {
    state.live = true;
    state.markListening();
  }

  /** Open iterators of `channel` in this process (what a departed subscriber must no longer count in). */
  listeners(channel: string): number {
    return this.channels.get(channel)?.iterators.size ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    this.shutDown = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const state of [...this.channels.values()]) {
      state.live = false;
      state.watchers.clear();
      for (const iterator of [...state.iterators]) await iterator.return();
    }
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private forget(channel: string, state: ChannelState, iterator?: NotificationIterator): void {
    if (iterator) state.iterators.delete(iterator);
    if (state.iterators.size > 0 || state.watchers.size > 0 || this.channels.get(channel) !== state) return;
    state.live = false;
    this.channels.delete(channel);
    if (!this.shutDown) void this.command(`UNLISTEN ${quote(channel)}`);
  }

  /**
   * Runs LISTEN/UNLISTEN on the listening connection. pg queues a client's queries in order, so a
   * quick LISTEN–UNLISTEN–LISTEN ends up listening. On failure the reconnect re-LISTENs from `channels`.
   */
  private async command(sql: string): Promise<boolean> {
    try {
      const client = await this.connection();
      await client.query(sql);
      return true;
    } catch (error) {
      appLogger.warn('PgNotifyBus command failed; will retry on reconnect', { sql, error: String(error) });
      this.scheduleReconnect();
      return false;
    }
  }

  private connection(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    const client = new Client(this.clientConfig());
    client.on('notification', (message) => this.deliver(message));
    // 'error' without a listener would crash the process; either event means the connection is gone.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    await client.connect();
    if (this.shutDown) {
      await client.end();
      throw new Error('PgNotifyBus is shut down');
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_FIRST_DELAY_MS;
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS);
      this.heartbeat.unref();
    }
    return client;
  }

  /** One heartbeat: the listening connection must answer a trivial query in time, or it counts as lost. */
  async beat(timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const ping = client.query('SELECT 1');
    ping.catch(() => undefined);
    try {
      await Promise.race([
        ping,
        new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
        ),
      ]);
    } catch (error) {
      this.lost(client, error as Error);
    } finally {
      clearTimeout(timer);
    }
  }

  private deliver(message: Notification): void {
    const state = this.channels.get(message.channel);
    if (!state) return;
    let payload: unknown = message.payload;
    try {
      payload = message.payload === undefined ? undefined : JSON.parse(message.payload);
    } catch {
      // Not ours (someone ran NOTIFY by hand): pass the text on and let the consumer decide.
    }
    for (const iterator of state.iterators) iterator.push(payload);
    for (const watcher of state.watchers) watcher.message(payload);
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    for (const state of this.channels.values()) {
      state.live = false;
      for (const watcher of state.watchers) watcher.reset();
    }
    if (this.shutDown) return;
    appLogger.warn('PgNotifyBus lost its connection; reconnecting', { error: error ? String(error) : 'ended' });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.shutDown || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, RECONNECT_MAX_DELAY_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.relisten();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Notifications sent while the connection was down are lost; subscribers see the next ones. */
  private async relisten(): Promise<void> {
    if (this.shutDown || this.channels.size === 0) return;
    try {
      const client = await this.connection();
      for (const [channel, state] of this.channels) {
        await client.query(`LISTEN ${quote(channel)}`);
        this.markLive(state);
      }
    } catch (error) {
      appLogger.warn('PgNotifyBus reconnect failed', { error: String(error) });
      this.scheduleReconnect();
    }
  }

  /** The application's own database settings (URL or fields, the embedded server's too), on a connection of its own. */
  private clientConfig(): ClientConfig {
    const options = this.dataSource.options as PostgresFields;
    const extra = (options.extra ?? {}) as { application_name?: string };
    const base: ClientConfig = {
      keepAlive: true,
      // The process id tells the listening connections of several processes apart in pg_stat_activity.
      application_name: `${extra.application_name ?? 'domovoy'}-listen:${process.pid}`,
      ssl: options.ssl as ClientConfig['ssl'],
    };
    if (options.url) return { ...base, connectionString: options.url };
    return {
      ...base,
      host: options.host,
      port: options.port,
      user: options.username,
      password: options.password,
      database: options.database,
    };
  }
}

/** The connection fields of TypeORM's PostgreSQL options that a plain pg.Client needs. */
interface PostgresFields {
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  database?: string;
  ssl?: unknown;
  extra?: unknown;
}

/** Channel names are identifiers in LISTEN but plain text in pg_notify(): quote so both mean the same name. */
function quote(channel: string): string {
  return `"${channel.replace(/"/g, '""')}"`;
}
