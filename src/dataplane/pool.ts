import { throwIfAborted } from './errors.js';

/**
 * Runs `work` on each item with at most `concurrency` calls at a time. The signal is checked
 * before each item is started. After the first failure no new items start, and that first error
 * is thrown once the calls under way have settled.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (firstError === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        throwIfAborted(signal);
        await work(item);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, worker);
  await Promise.all(workers);
  if (firstError !== undefined) throw firstError.error;
}
