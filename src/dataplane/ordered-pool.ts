import { throwIfAborted } from './errors.js';

export interface OrderedPoolOptions {
  concurrency: number;
  /**
   * Maximum items started but not yet emitted. A slow item holds back the emission of later
   * ones, and this bounds how many finished results wait for it in memory.
   */
  window: number;
  signal: AbortSignal | undefined;
}

/**
 * Runs `work` on each item of `items` with at most `concurrency` calls at a time and passes the
 * results to `emit` in item order. The signal is checked before each item is started. After the
 * first failure no new items start, and that first error is thrown once the calls under way have
 * settled.
 */
export async function runOrdered<T, R>(
  items: AsyncIterable<T>,
  options: OrderedPoolOptions,
  work: (item: T) => Promise<R>,
  emit: (result: R, item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  const finished = new Map<number, { item: T; result: R }>();
  const running = new Set<Promise<void>>();
  let started = 0;
  let emitted = 0;
  let exhausted = false;
  let failure: { error: unknown } | undefined;

  const startMore = async (): Promise<void> => {
    while (!exhausted && failure === undefined && running.size < options.concurrency) {
      if (started - emitted >= options.window) return;
      throwIfAborted(options.signal);
      const next = await iterator.next();
      if (next.done === true) {
        exhausted = true;
        return;
      }
      const index = started++;
      const call: Promise<void> = work(next.value).then(
        (result) => void finished.set(index, { item: next.value, result }),
        (error: unknown) => void (failure ??= { error }),
      );
      running.add(call);
      void call.finally(() => running.delete(call));
    }
  };

  const emitReady = async (): Promise<void> => {
    for (let ready = finished.get(emitted); ready !== undefined; ready = finished.get(emitted)) {
      finished.delete(emitted);
      emitted++;
      await emit(ready.result, ready.item);
    }
  };

  try {
    for (;;) {
      await startMore();
      if (running.size === 0) break;
      await Promise.race(running);
      await emitReady();
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.allSettled(running);
  if (failure !== undefined) throw failure.error;
  await emitReady();
}
