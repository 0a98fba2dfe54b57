import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, SnapshotTable } from '../store/schema.js';
import {
  snapshotFromRow,
  type Snapshot,
  type SnapshotKind,
  type SnapshotState,
} from './snapshot.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertSnapshot(db: Db, row: Insertable<SnapshotTable>): Promise<Snapshot> {
  await db.insertInto('snapshots').values(row).execute();
  return (await findSnapshotById(db, row.id))!;
}

export async function findSnapshotById(db: Db, id: string): Promise<Snapshot | undefined> {
  const row = await db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? snapshotFromRow(row) : undefined;
}

/** Finds a snapshot of one account's volume; undefined when the ids do not match. */
export async function findSnapshotOfVolume(
  db: Db,
  accountId: string,
  volumeId: string,
  id: string,
): Promise<Snapshot | undefined> {
  const row = await db
    .selectFrom('snapshots')
    .selectAll()
    .where('id', '=', id)
    .where('volume_id', '=', volumeId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? snapshotFromRow(row) : undefined;
}

export async function findSnapshotOfAccount(
  db: Db,
  accountId: string,
  id: string,
): Promise<Snapshot | undefined> {
  const row = await db
    .selectFrom('snapshots')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? snapshotFromRow(row) : undefined;
}

/** Snapshots of a volume, newest first. */
export async function listSnapshotsOfVolume(
  db: Db,
  volumeId: string,
  kind?: SnapshotKind,
): Promise<Snapshot[]> {
  let query = db.selectFrom('snapshots').selectAll().where('volume_id', '=', volumeId);
  if (kind) query = query.where('kind', '=', kind);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(snapshotFromRow);
}

/** Snapshots in one state, oldest first, so work is done in the order it was requested. */
export async function listSnapshotsInState(db: Db, state: SnapshotState): Promise<Snapshot[]> {
  const rows = await db
    .selectFrom('snapshots')
    .selectAll()
    .where('state', '=', state)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(snapshotFromRow);
}

/**
 * Finds the newest complete snapshot of a volume with a capture marker, other than `exceptId`:
 * the base whose unchanged files a new capture hard-links instead of copying.
 */
export async function findLinkBase(
  db: Db,
  volumeId: string,
  exceptId: string,
): Promise<Snapshot | undefined> {
  const row = await db
    .selectFrom('snapshots')
    .selectAll()
    .where('volume_id', '=', volumeId)
    .where('id', '!=', exceptId)
    .where('state', 'in', ['available', 'restoring'])
    .where('capture_ctime_ns', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? snapshotFromRow(row) : undefined;
}

/**
 * Updates a snapshot only while it is in state `from`; returns whether it was. The condition
 * makes concurrent transitions (a delete racing a capture) lose cleanly instead of overwriting.
 */
export async function updateSnapshotIfState(
  db: Db,
  id: string,
  from: SnapshotState,
  changes: Updateable<SnapshotTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('snapshots')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Hands a row that a caller failed to finish inline over to the runner tick. */
export async function releaseSnapshotJob(db: Db, id: string): Promise<void> {
  await db.updateTable('snapshots').set({ job_owner: null }).where('id', '=', id).execute();
}

export async function deleteSnapshotRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('snapshots').where('id', '=', id).execute();
}

/** Ids of volumes being created from the snapshot, which must keep it until they are done. */
export async function listVolumesCreatingFrom(db: Db, snapshotId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('volumes')
    .select('id')
    .where('snapshot_id', '=', snapshotId)
    .where('state', '=', 'creating')
    .execute();
  return rows.map((r) => r.id);
}
