import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { removeTree } from '../dataplane/remove-tree.js';
import type { Volume } from '../volumes/volume.js';
import type { SnapshotDeps } from './deps.js';
import { applyRetention } from './retention.js';
import { deleteVolumeSnapshotRows } from './schedule-repository.js';
import {
  deleteSnapshotRow,
  listSnapshotsOfVolume,
  releaseSnapshotJob,
} from './snapshot-repository.js';
import {
  provisionWorkDir,
  restoreWorkDir,
  snapshotDir,
  volumeSnapshotsDir,
} from './snapshot-paths.js';
import type { Snapshot, SnapshotKind } from './snapshot.js';
import { transitionSnapshot } from './transitions.js';

/** Removes a `deleting` snapshot's files, then its row. */
export async function removeSnapshot(deps: SnapshotDeps, snapshot: Snapshot): Promise<void> {
  await removeTree(Buffer.from(snapshotDir(deps.regions, snapshot)));
  await deleteSnapshotRow(deps.db, snapshot.id);
}

/**
 * Applies retention to the snapshots of one kind of a volume and removes the rejected ones right
 * away. Each is first claimed (`deleting`, owned by this process) so the tick leaves it alone.
 * One whose removal fails is handed to the tick, which retries it. Returns the removed ids.
 */
export async function pruneSnapshots(
  deps: SnapshotDeps,
  volumeId: string,
  kind: Exclude<SnapshotKind, 'manual'>,
  keep: number,
  log: Logger,
): Promise<string[]> {
  const decision = applyRetention(await listSnapshotsOfVolume(deps.db, volumeId, kind), keep);
  const removed: string[] = [];
  for (const { snapshot, reason } of decision.remove) {
    const claimed = await transitionSnapshot(deps.db, log, snapshot, 'deleting', deps.clock.now(), {
      job_owner: deps.owner,
    });
    if (!claimed) continue;
    try {
      await removeSnapshot(deps, snapshot);
      removed.push(snapshot.id);
      log.info({ snapshotId: snapshot.id, kind, reason, keep }, 'snapshot pruned');
    } catch (err) {
      log.error({ err, snapshotId: snapshot.id }, 'pruning a snapshot failed; the runner retries');
      await releaseSnapshotJob(deps.db, snapshot.id);
    }
  }
  return removed;
}

/**
 * Removes every snapshot of a volume, with its files, schedules and snapshot policy, and the
 * work directories of restores into it. For volume deletion: snapshots do not outlive their
 * volume, so deleting a backup target volume deletes its retained backups too. Safe to repeat.
 * The caller makes sure nothing captures from or restores into the volume meanwhile (the runner
 * tick does this work one job at a time).
 */
export async function removeVolumeSnapshots(
  deps: Pick<SnapshotDeps, 'db' | 'logger' | 'regions'>,
  volume: Pick<Volume, 'id' | 'region'>,
): Promise<void> {
  const { regions } = deps;
  await removeTree(Buffer.from(volumeSnapshotsDir(regions, volume.region, volume.id)));
  for (const workDir of [
    restoreWorkDir(regions, volume.region, volume.id),
    provisionWorkDir(regions, volume.region, volume.id),
  ]) {
    await rm(workDir, { recursive: true, force: true });
  }
  await deleteVolumeSnapshotRows(deps.db, volume.id);
  deps.logger.info({ volumeId: volume.id }, 'snapshots of the volume removed');
}
