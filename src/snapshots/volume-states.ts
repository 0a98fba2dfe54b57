import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { VolumeState } from '../volumes/volume.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Sets a volume's state, and its usage in bytes when given, only while it is in state `from`.
 * A delete accepted meanwhile is thus not overwritten. Returns whether the state was set.
 */
export async function setVolumeStateIf(
  db: Db,
  volumeId: string,
  from: VolumeState,
  to: VolumeState,
  at: Date,
  usageBytes?: number,
): Promise<boolean> {
  const result = await db
    .updateTable('volumes')
    .set({
      state: to,
      updated_at: at.toISOString(),
      ...(usageBytes === undefined ? {} : { usage_bytes: usageBytes }),
    })
    .where('id', '=', volumeId)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
