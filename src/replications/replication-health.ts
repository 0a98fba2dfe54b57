import type { Frequency, Replication } from './replication.js';

/**
 * Nominal interval of each frequency in seconds; monthly uses 31 days, the longest month, so a
 * replication is never reported late because a month is short.
 */
export const FREQUENCY_SECONDS: Record<Frequency, number> = {
  '5min': 300,
  hourly: 3_600,
  daily: 86_400,
  weekly: 604_800,
  monthly: 2_678_400,
};

export const WARNING_FACTOR = 1.5;
export const ERROR_FACTOR = 2.5;

export type Health = 'ok' | 'warning' | 'error' | 'paused';

export interface ReplicationHealth {
  /** Seconds since the source state of the last committed run; `null` before the baseline. */
  lagSeconds: number | null;
  intervalSeconds: number;
  health: Health;
}

/**
 * Rates a replication against its schedule: `warning` once the lag exceeds 1.5 intervals,
 * `error` past 2.5 intervals. Before the baseline commits, the time since creation counts as
 * the lag. A paused replication is `paused` whatever its lag.
 */
export function replicationHealth(
  replication: Pick<Replication, 'policy' | 'frequency' | 'lastReplicatedAt' | 'createdAt'>,
  now: Date,
): ReplicationHealth {
  const intervalSeconds = FREQUENCY_SECONDS[replication.frequency];
  const since = replication.lastReplicatedAt ?? replication.createdAt;
  const elapsed = Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / 1000));
  const lagSeconds = replication.lastReplicatedAt === null ? null : elapsed;
  if (replication.policy === 'paused') return { lagSeconds, intervalSeconds, health: 'paused' };
  return { lagSeconds, intervalSeconds, health: rate(elapsed, intervalSeconds) };
}

function rate(elapsedSeconds: number, intervalSeconds: number): Health {
  if (elapsedSeconds > ERROR_FACTOR * intervalSeconds) return 'error';
  if (elapsedSeconds > WARNING_FACTOR * intervalSeconds) return 'warning';
  return 'ok';
}
