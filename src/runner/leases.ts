import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * Claims a due replication for one worker. The single conditional UPDATE is the lock: it only
 * succeeds while no other worker has an unexpired lease, so no replication runs twice at once.
 */
export async function claimReplication(
  db: Kysely<Database>,
  replicationId: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const nowIso = now.toISOString();
  const result = await db
    .updateTable('replications')
    .set({ lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', replicationId)
    .where('policy', '=', 'use')
    .where('status', '!=', 'deleting')
    .where('next_run_at', '<=', nowIso)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', nowIso)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Extends a held lease; returns false when the lease was lost to another worker. */
export async function renewLease(
  db: Kysely<Database>,
  replicationId: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('replications')
    .set({ lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', replicationId)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lists replications whose next run is due and that no worker has leased. */
export async function listDueReplicationIds(
  db: Kysely<Database>,
  now: Date,
  limit: number,
): Promise<string[]> {
  const nowIso = now.toISOString();
  const rows = await db
    .selectFrom('replications')
    .select('id')
    .where('policy', '=', 'use')
    .where('status', '!=', 'deleting')
    .where('next_run_at', '<=', nowIso)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', nowIso)]))
    .orderBy('next_run_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Releases every lease and marks unfinished runs interrupted. Only for the embedded mode, where
 * one process owns the SQLite database, so any lease found at start-up belongs to a dead process.
 */
export async function releaseStaleLeases(db: Kysely<Database>, now: Date): Promise<void> {
  await db.updateTable('replications').set({ lease_owner: null, lease_expires_at: null }).execute();
  await db
    .updateTable('replication_runs')
    .set({ state: 'interrupted', finished_at: now.toISOString() })
    .where('state', '=', 'running')
    .execute();
}
