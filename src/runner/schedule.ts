import { Cron } from 'croner';
import type { Frequency } from '../replications/replication.js';

/**
 * Cron patterns of the replication frequencies, in the configured time zone: 5min at every
 * minute divisible by 5, hourly at minute 0, daily at 23:59, weekly on Sunday at 23:59,
 * monthly on the 1st at 23:59.
 */
export const FREQUENCY_PATTERNS: Record<Frequency, string> = {
  '5min': '0 */5 * * * *',
  hourly: '0 0 * * * *',
  daily: '0 59 23 * * *',
  weekly: '0 59 23 * * 0',
  monthly: '0 59 23 1 * *',
};

/** Returns the first tick of the frequency strictly after `after`, computed in `timeZone`. */
export function nextRunAt(frequency: Frequency, after: Date, timeZone: string): Date {
  const next = new Cron(FREQUENCY_PATTERNS[frequency], { timezone: timeZone }).nextRun(after);
  if (!next) throw new Error(`no next run for frequency ${frequency}`);
  return next;
}

/** Delay before retrying a failed run: the table's entry for the failure count, then its last. */
export function retryDelayMs(consecutiveFailures: number, backoffMs: number[]): number {
  const index = Math.min(Math.max(consecutiveFailures - 1, 0), backoffMs.length - 1);
  return backoffMs[index] ?? 60_000;
}
