import { NotifiedCache } from './notified-cache';
import type { ChannelWatcher, PgNotifyBus } from './pg-notify-bus';

/** A channel whose listening state and notifications the test drives (the bus's contract, without a database). */
function channel() {
  const state = { live: false, watcher: null as ChannelWatcher | null };
  const bus = {
    watch: (_name: string, watcher: ChannelWatcher) => {
      state.watcher = watcher;
      return {
        get live() {
          return state.live;
        },
        close: () => undefined,
      };
    },
  } as unknown as PgNotifyBus;
  const cache = new NotifiedCache<string>(bus, {
    channel: 'test',
    onChange: (payload, c) => (typeof payload === 'string' ? c.forget(payload) : c.clear()),
    ttlMs: 1000,
    maxEntries: 2,
  });
  const lose = () => {
    state.live = false;
    state.watcher!.reset();
  };
  return { state, cache, lose };
}

describe('NotifiedCache', () => {
  it('serves nothing and stores nothing while the channel is not listened on', () => {
    const { state, cache } = channel();
    cache.put('a', 'A', cache.stamp());
    state.live = true;
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not store a read that began before listening resumed: a change meanwhile was announced to nobody', () => {
    const { state, cache, lose } = channel();
    state.live = true;
    cache.get('a');
    lose();
    const stamp = cache.stamp();
    state.live = true;
    cache.put('a', 'stale', stamp);
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not store a read an invalidation overtook, and drops what a notification names', () => {
    const { state, cache } = channel();
    state.live = true;
    const stamp = cache.stamp();
    state.watcher!.message('a');
    cache.put('a', 'stale', stamp);
    expect(cache.get('a')).toBeUndefined();
    cache.put('a', 'A', cache.stamp());
    cache.put('b', 'B', cache.stamp());
    state.watcher!.message('a');
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, 'B']);
  });

  it('forgets everything when the connection is lost, entries past their time, and the oldest beyond the limit', () => {
    const { state, cache, lose } = channel();
    state.live = true;
    cache.put('a', 'A', cache.stamp(), 0);
    cache.put('b', 'B', cache.stamp(), 0);
    cache.put('c', 'C', cache.stamp(), 0);
    expect([cache.get('a', 10), cache.get('b', 10), cache.get('c', 10)]).toEqual([undefined, 'B', 'C']);
    expect(cache.get('b', 1001)).toBeUndefined();
    lose();
    state.live = true;
    expect(cache.get('c', 10)).toBeUndefined();
  });
});
