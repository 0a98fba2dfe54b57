import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, SnapshotScheduleTable } from '../store/schema.js';
import {
  policyFromRow,
  scheduleFromRow,
  type SnapshotPolicy,
  type SnapshotSchedule,
} from './snapshot.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertSchedule(
  db: Db,
  row: Insertable<SnapshotScheduleTable>,
): Promise<void> {
  await db.insertInto('snapshot_schedules').values(row).execute();
}

/** Schedules of a volume, oldest first. */
export async function listSchedulesOfVolume(db: Db, volumeId: string): Promise<SnapshotSchedule[]> {
  const rows = await db
    .selectFrom('snapshot_schedules')
    .selectAll()
    .where('volume_id', '=', volumeId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(scheduleFromRow);
}

export async function findScheduleOfVolume(
  db: Db,
  volumeId: string,
  id: string,
): Promise<SnapshotSchedule | undefined> {
  const row = await db
    .selectFrom('snapshot_schedules')
    .selectAll()
    .where('id', '=', id)
    .where('volume_id', '=', volumeId)
    .executeTakeFirst();
  return row ? scheduleFromRow(row) : undefined;
}

/** Schedules whose next run is due at `now`, earliest first. */
export async function listDueSchedules(db: Db, now: Date): Promise<SnapshotSchedule[]> {
  const rows = await db
    .selectFrom('snapshot_schedules')
    .selectAll()
    .where('next_run_at', '<=', now.toISOString())
    .orderBy('next_run_at', 'asc')
    .execute();
  return rows.map(scheduleFromRow);
}

export async function updateSchedule(
  db: Db,
  id: string,
  changes: Updateable<SnapshotScheduleTable>,
): Promise<void> {
  await db.updateTable('snapshot_schedules').set(changes).where('id', '=', id).execute();
}

export async function deleteScheduleRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('snapshot_schedules').where('id', '=', id).execute();
}

export async function findPolicy(db: Db, volumeId: string): Promise<SnapshotPolicy | undefined> {
  const row = await db
    .selectFrom('snapshot_policies')
    .selectAll()
    .where('volume_id', '=', volumeId)
    .executeTakeFirst();
  return row ? policyFromRow(row) : undefined;
}

/** Creates or updates the volume's snapshot policy with a retention count. */
export async function savePolicy(
  db: Db,
  policy: { volumeId: string; accountId: string; retentionCount: number },
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('snapshot_policies')
    .values({
      volume_id: policy.volumeId,
      account_id: policy.accountId,
      retention_count: policy.retentionCount,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .onConflict((oc) =>
      oc.column('volume_id').doUpdateSet({
        retention_count: policy.retentionCount,
        updated_at: nowIso,
      }),
    )
    .execute();
}

export async function deletePolicy(db: Db, volumeId: string): Promise<void> {
  await db.deleteFrom('snapshot_policies').where('volume_id', '=', volumeId).execute();
}

/** Removes every snapshot, schedule and policy row of a volume. */
export async function deleteVolumeSnapshotRows(db: Db, volumeId: string): Promise<void> {
  await db.deleteFrom('snapshots').where('volume_id', '=', volumeId).execute();
  await db.deleteFrom('snapshot_schedules').where('volume_id', '=', volumeId).execute();
  await db.deleteFrom('snapshot_policies').where('volume_id', '=', volumeId).execute();
}
