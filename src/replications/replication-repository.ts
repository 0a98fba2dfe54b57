import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, ReplicationTable } from '../store/schema.js';
import { replicationFromRow, type Replication, type ReplicationType } from './replication.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertReplication(db: Db, row: Insertable<ReplicationTable>): Promise<void> {
  await db.insertInto('replications').values(row).execute();
}

/** Replications in which the volume is the source or the replica. */
export async function listReplicationsOfVolume(db: Db, volumeId: string): Promise<Replication[]> {
  const rows = await db
    .selectFrom('replications')
    .selectAll()
    .where((eb) =>
      eb.or([eb('source_volume_id', '=', volumeId), eb('target_volume_id', '=', volumeId)]),
    )
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(replicationFromRow);
}

export async function findReplicationOfSource(
  db: Db,
  sourceVolumeId: string,
  type: ReplicationType,
): Promise<Replication | undefined> {
  const row = await db
    .selectFrom('replications')
    .selectAll()
    .where('source_volume_id', '=', sourceVolumeId)
    .where('replication_type', '=', type)
    .executeTakeFirst();
  return row ? replicationFromRow(row) : undefined;
}

export async function findReplication(db: Db, id: string): Promise<Replication | undefined> {
  const row = await db
    .selectFrom('replications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? replicationFromRow(row) : undefined;
}

export async function updateReplication(
  db: Db,
  id: string,
  changes: Updateable<ReplicationTable>,
): Promise<void> {
  await db.updateTable('replications').set(changes).where('id', '=', id).execute();
}

/** Marks replications `deleting`; the runner ends them once no run holds their lease. */
export async function markReplicationsDeleting(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('replications')
    .set({ status: 'deleting', updated_at: now.toISOString() })
    .where('id', 'in', ids)
    .execute();
}
