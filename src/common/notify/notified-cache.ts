import { ChannelWatch, PgNotifyBus } from './pg-notify-bus';

export interface NotifiedCacheOptions<V> {
  /** The NOTIFY channel database triggers announce changes on. */
  channel: string;
  /** Drops what a notification's payload says changed (`forget` / `forgetWhere` / `clear`). */
  onChange(payload: unknown, cache: NotifiedCache<V>): void;
  /** How long an entry is trusted even if no change was announced. */
  ttlMs: number;
  maxEntries: number;
}

interface Entry<V> {
  value: V;
  storedAt: number;
}

/**
 * A process's copy of rows that change rarely and are read on every request (sessions, the ticket
 * classifier), kept exact by notifications: triggers announce each change, from whatever process
 * writes it, and the entries it concerns are dropped. While the channel is not listened on (starting,
 * connection lost) nothing is served from memory, and a lost connection clears everything, since
 * changes made meanwhile were announced to nobody. A read that started before a change must not store
 * what it read: take `stamp()` before reading and hand it to `put`.
 */
export class NotifiedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private watch: ChannelWatch | null = null;
  private generation = 0;
  private closed = false;

  constructor(
    private readonly bus: PgNotifyBus,
    private readonly options: NotifiedCacheOptions<V>,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    if (this.closed || !this.watching().live) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.storedAt > this.options.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Taken before a read. A read that started while nobody listened may hold what a change announced to
   * nobody replaced: its stamp (-1) never lets `put` store it, even if listening resumed meanwhile.
   */
  stamp(): number {
    return !this.closed && this.watching().live ? this.generation : -1;
  }

  put(key: string, value: V, stamp: number, now = Date.now()): void {
    if (stamp < 0 || stamp !== this.generation || this.closed || !this.watching().live) return;
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, storedAt: now });
  }

  forget(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  forgetWhere(test: (value: V) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (test(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  close(): void {
    this.closed = true;
    this.watch?.close();
    this.watch = null;
    this.clear();
  }

  /** Listens from the first lookup on, so processes that never read (workers) hold no connection for it. */
  private watching(): ChannelWatch {
    return (this.watch ??= this.bus.watch(this.options.channel, {
      message: (payload) => this.options.onChange(payload, this),
      reset: () => this.clear(),
    }));
  }
}
