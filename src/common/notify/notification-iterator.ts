/** How many undelivered notifications one slow subscriber may hold before the oldest are dropped. */
export const DEFAULT_BUFFER_LIMIT = 100;

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscriber's view of a channel: a bounded queue the bus pushes into and the consumer pulls from.
 * Progress events supersede each other, so under pressure dropping the oldest loses nothing that matters.
 */
export class NotificationIterator implements AsyncIterableIterator<unknown> {
  private readonly buffer: unknown[] = [];
  private readonly waiters: ((result: IteratorResult<unknown>) => void)[] = [];
  private closed = false;

  constructor(
    /** Resolves once the channel is LISTENed on the server: notifications sent after that reach this iterator. */
    readonly ready: Promise<void>,
    private readonly onClose: () => void,
    private readonly limit = DEFAULT_BUFFER_LIMIT,
  ) {}

  push(value: unknown): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter({ value, done: false });
    this.buffer.push(value);
    if (this.buffer.length > this.limit) this.buffer.shift();
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift(), done: false });
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends the iterator: pending next() calls resolve as done and the bus forgets this subscriber. */
  return(): Promise<IteratorResult<unknown>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    this.close();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter(DONE);
    this.onClose();
  }
}
