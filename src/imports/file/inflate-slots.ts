/**
 * At most `size` generators running at once; the others wait, in order, for a slot. Used for zip entries
 * inflating in this process (registry-zip-stream.ts): a slot is held from the first chunk to the last.
 */
export class InflateSlots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async *run<T>(work: () => AsyncGenerator<T>): AsyncGenerator<T> {
    await this.acquire();
    try {
      yield* work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}
