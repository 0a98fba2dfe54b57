import type { Selectable } from 'kysely';
import type { SnapshotPolicyTable, SnapshotScheduleTable, SnapshotTable } from '../store/schema.js';

/**
 * Snapshot state:
 * - `creating`: accepted; the runner is copying the volume's tree (size still unknown);
 * - `available`: a complete, immutable point-in-time copy;
 * - `restoring`: being copied back into its volume, which is `restoring` too;
 * - `deleting`: a delete was accepted; the runner removes its files, then the row;
 * - `error`: the capture failed; the files are gone and only a delete is accepted.
 */
export type SnapshotState = 'creating' | 'available' | 'restoring' | 'deleting' | 'error';

/**
 * Who took a snapshot, which decides what may prune it: `manual` ones (CreateVolumeSnapshot) are
 * never pruned, `scheduled` ones by the volume's snapshot retention count, `backup` ones by the
 * backup replication's retention count.
 */
export type SnapshotKind = 'manual' | 'scheduled' | 'backup';

export interface Snapshot {
  id: string;
  accountId: string;
  volumeId: string;
  region: string;
  name: string;
  kind: SnapshotKind;
  state: SnapshotState;
  scheduleId: string | null;
  /** Sum of the regular file sizes in bytes; `null` until the capture has finished. */
  sizeBytes: number | null;
  /** ctime of the snapshot root taken before the capture read anything; see capture.ts. */
  captureCtimeNs: bigint | null;
  jobOwner: string | null;
  error: string | null;
  createdAt: string;
}

export type ScheduleFrequency = 'DAILY' | 'WEEKLY';
export const DAYS_OF_WEEK = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** When a schedule fires, in the configured time zone. */
export interface ScheduleTime {
  frequency: ScheduleFrequency;
  /** 0 to 23. */
  hour: number;
  /** Set for `WEEKLY`, `null` for `DAILY`. */
  dayOfWeek: DayOfWeek | null;
}

export interface SnapshotSchedule extends ScheduleTime {
  id: string;
  accountId: string;
  volumeId: string;
  nextRunAt: string;
  lastRunAt: string | null;
}

export interface SnapshotPolicy {
  volumeId: string;
  retentionCount: number;
}

/** Scheduled snapshots kept per volume when CreateVolumeSnapshotSchedule names no count. */
export const DEFAULT_RETENTION_COUNT = 10;

export function snapshotFromRow(row: Selectable<SnapshotTable>): Snapshot {
  return {
    id: row.id,
    accountId: row.account_id,
    volumeId: row.volume_id,
    region: row.region,
    name: row.name,
    kind: row.kind as SnapshotKind,
    state: row.state as SnapshotState,
    scheduleId: row.schedule_id,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    captureCtimeNs: row.capture_ctime_ns === null ? null : BigInt(row.capture_ctime_ns),
    jobOwner: row.job_owner,
    error: row.error,
    createdAt: row.created_at,
  };
}

export function scheduleFromRow(row: Selectable<SnapshotScheduleTable>): SnapshotSchedule {
  return {
    id: row.id,
    accountId: row.account_id,
    volumeId: row.volume_id,
    frequency: row.frequency as ScheduleFrequency,
    hour: row.hour,
    dayOfWeek: row.day_of_week as DayOfWeek | null,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
  };
}

export function policyFromRow(row: Selectable<SnapshotPolicyTable>): SnapshotPolicy {
  return { volumeId: row.volume_id, retentionCount: row.retention_count };
}
