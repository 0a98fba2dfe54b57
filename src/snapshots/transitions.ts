import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Logger } from 'pino';
import type { Database, SnapshotTable } from '../store/schema.js';
import { updateSnapshotIfState } from './snapshot-repository.js';
import type { Snapshot, SnapshotState } from './snapshot.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Allowed state changes (see SnapshotState). A `creating` snapshot becomes `deleting` only when
 * its inline capture was abandoned by a process that died; every other delete waits for
 * `available` or `error`.
 */
const ALLOWED: Record<SnapshotState, readonly SnapshotState[]> = {
  creating: ['available', 'error', 'deleting'],
  available: ['restoring', 'deleting'],
  restoring: ['available'],
  error: ['deleting'],
  deleting: [],
};

/**
 * Moves a snapshot from its current state to `to` with further column changes, but only if the
 * row is still in that state. Returns whether it moved, and logs `{snapshotId, from, to}`.
 */
export async function transitionSnapshot(
  db: Db,
  logger: Logger,
  snapshot: Pick<Snapshot, 'id' | 'state'>,
  to: SnapshotState,
  at: Date,
  changes: Updateable<SnapshotTable> = {},
): Promise<boolean> {
  const from = snapshot.state;
  if (!ALLOWED[from].includes(to)) {
    throw new Error(`snapshot ${snapshot.id} cannot go from ${from} to ${to}`);
  }
  const moved = await updateSnapshotIfState(db, snapshot.id, from, {
    ...changes,
    state: to,
    updated_at: at.toISOString(),
  });
  if (moved) logger.info({ snapshotId: snapshot.id, from, to }, 'snapshot state changed');
  else logger.info({ snapshotId: snapshot.id, from, to }, 'snapshot state changed meanwhile');
  return moved;
}
