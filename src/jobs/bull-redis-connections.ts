import Redis, { RedisOptions } from 'ioredis';

/**
 * Redis connections handed to Bull through `createClient`. Bull treats such connections as shared
 * and never closes them, so they are tracked here and closed after the queues on shutdown.
 */
export class BullRedisConnections {
  private readonly open = new Map<Redis, 'client' | 'subscriber' | 'bclient'>();

  /** `name` labels every connection in Redis's CLIENT LIST, so an operator can tell whose they are. */
  constructor(
    private readonly url: string,
    private readonly name: string,
  ) {}

  /** Bull's blocking and subscriber connections must never give up on a command or wait for a ready check. */
  create(type: 'client' | 'subscriber' | 'bclient', overrides: RedisOptions = {}): Redis {
    const blocking = type !== 'client';
    const client = new Redis(this.url, {
      ...overrides,
      connectionName: `${this.name}:${type}`,
      maxRetriesPerRequest: blocking ? null : overrides.maxRetriesPerRequest,
      enableReadyCheck: !blocking,
    });
    this.open.set(client, type);
    return client;
  }

  async closeAll(): Promise<void> {
    // Bull reconnects its blocking connection while pausing, so a client that once ended may be open again.
    // A blocking connection would answer QUIT only after its BRPOPLPUSH times out: cut it instead.
    await Promise.allSettled(
      [...this.open]
        .filter(([client]) => client.status !== 'end')
        .map(([client, type]) =>
          type === 'bclient' ? client.disconnect() : client.quit().catch(() => client.disconnect()),
        ),
    );
    this.open.clear();
  }
}
