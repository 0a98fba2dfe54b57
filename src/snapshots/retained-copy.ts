import { removeTree } from '../dataplane/remove-tree.js';
import type { Volume } from '../volumes/volume.js';
import { captureSnapshotFiles, completeCapture } from './capture-job.js';
import type { SnapshotDeps } from './deps.js';
import { pruneSnapshots } from './removal.js';
import { deleteSnapshotRow, findSnapshotById, insertSnapshot } from './snapshot-repository.js';
import { snapshotDir } from './snapshot-paths.js';
import { newSnapshotRow } from './snapshot-rows.js';
import type { Snapshot } from './snapshot.js';

export interface RetainedCopyOptions {
  /** Retention group of the copy; only `backup` exists so far. */
  kind: 'backup';
  /** Copies of this kind to keep on the volume, 1 to 128; older ones are removed. */
  keep: number;
  /** Stops the capture; nothing of the unfinished copy is kept. */
  signal?: AbortSignal;
}

/**
 * Captures an `available` snapshot of `volume` now and waits for it, then removes the oldest
 * snapshots of the same kind beyond `options.keep`. For backup runs: the copies are the backup
 * target's snapshots, listed by ListVolumeSnapshots with its id, and CreateVolume with one of
 * their ids restores it. While the capture runs the row is `creating` and owned by `deps.owner`,
 * so the runner tick leaves it alone. If the process dies meanwhile, the next process's tick
 * removes the row. On failure nothing is kept and the error is thrown.
 */
export async function captureRetainedCopy(
  deps: SnapshotDeps,
  volume: Volume,
  options: RetainedCopyOptions,
): Promise<Snapshot> {
  const log = deps.logger.child({ volumeId: volume.id, kind: options.kind });
  const row = newSnapshotRow(volume, options.kind, deps.clock.now(), deps.config.timeZone, {
    jobOwner: deps.owner,
  });
  const snapshot = await insertSnapshot(deps.db, row);
  const snapshotLog = log.child({ snapshotId: snapshot.id });
  try {
    const result = await captureSnapshotFiles(deps, snapshot, snapshotLog, options.signal);
    if (!(await completeCapture(deps, snapshot, result, snapshotLog))) {
      throw new Error(`snapshot ${snapshot.id} was removed during its capture`);
    }
    snapshotLog.info({ ...result, markerCtimeNs: undefined }, 'retained copy captured');
  } catch (err) {
    await removeTree(Buffer.from(snapshotDir(deps.regions, snapshot)));
    await deleteSnapshotRow(deps.db, snapshot.id);
    throw err;
  }
  await pruneSnapshots(deps, volume.id, options.kind, options.keep, log);
  return (await findSnapshotById(deps.db, snapshot.id)) ?? snapshot;
}
