import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { recoverReplica } from '../dataplane/replicate.js';
import { findVolumeById } from '../volumes/volume-repository.js';
import type { JobDeps } from './replication-job.js';

/**
 * Ends every replication marked `deleting` that no run holds. An interrupted commit is rolled
 * forward first, so the former replica is one complete version; it then becomes an ordinary
 * read-write volume (`purpose: none`), which is how a user fails over, unless it is being
 * deleted itself.
 */
export async function endDeletedReplications(deps: JobDeps): Promise<void> {
  const nowIso = deps.clock.now().toISOString();
  const rows = await deps.db
    .selectFrom('replications')
    .select(['id', 'target_volume_id'])
    .where('status', '=', 'deleting')
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', nowIso)]))
    .execute();
  for (const row of rows) {
    const log = deps.logger.child({ replicationId: row.id, targetVolumeId: row.target_volume_id });
    try {
      await endReplication(deps, row.id, row.target_volume_id, log);
      log.info('replication ended');
    } catch (err) {
      log.error({ err }, 'ending replication failed; retrying on the next tick');
    }
  }
}

async function endReplication(
  deps: JobDeps,
  replicationId: string,
  targetVolumeId: string,
  log: Logger,
): Promise<void> {
  const target = await findVolumeById(deps.db, targetVolumeId);
  if (target) {
    const workDir = deps.regions.replicationWorkDir(target.region, replicationId);
    await recoverReplica(workDir, deps.regions.volumePath(target.region, target.id), log);
    await rm(workDir, { recursive: true, force: true });
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('replication_runs').where('replication_id', '=', replicationId).execute();
    await trx.deleteFrom('replications').where('id', '=', replicationId).execute();
    if (!target || target.state === 'deleting') return;
    await trx
      .updateTable('volumes')
      .set({ purpose: 'none', access_level: 'rw', updated_at: deps.clock.now().toISOString() })
      .where('id', '=', target.id)
      .execute();
  });
}
