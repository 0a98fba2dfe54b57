import { mkdir, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { recoverReplica, replicateTree } from '../dataplane/replicate.js';
import { findVolumeById } from '../volumes/volume-repository.js';
import type { Volume } from '../volumes/volume.js';
import type { SnapshotDeps } from './deps.js';
import { findSnapshotById } from './snapshot-repository.js';
import { provisionWorkDir, restoreWorkDir, snapshotDir } from './snapshot-paths.js';
import type { Snapshot } from './snapshot.js';
import { transitionSnapshot } from './transitions.js';
import { setVolumeStateIf } from './volume-states.js';

/** Snapshot states whose files are complete, so they can be copied from. */
const READABLE_STATES = new Set(['available', 'restoring']);

/**
 * Makes the volume's content exactly the snapshot's (deletions included) with the replication
 * engine's journaled commit, so after a crash the volume is either the old or the restored tree
 * once the restore runs again. Afterwards both are `available` again.
 * A failed restore rolls any half-applied commit forward or back, so the volume keeps one
 * complete version and is `available`. It is `error` when even that recovery failed. The failure is logged
 * and stored in the snapshot's `error` column.
 * NOTE: no response field reports a failed restore to the client; only the log and the database.
 * An aborted restore (server stopping) stays `restoring` and runs again after the restart.
 */
export async function restoreSnapshot(
  deps: SnapshotDeps,
  snapshot: Snapshot,
  signal: AbortSignal,
): Promise<void> {
  const log = deps.logger.child({ snapshotId: snapshot.id, volumeId: snapshot.volumeId });
  const volume = await findVolumeById(deps.db, snapshot.volumeId);
  if (volume?.state !== 'restoring') {
    log.warn({ volumeState: volume?.state }, 'restore dropped: the volume is no longer restoring');
    await transitionSnapshot(deps.db, log, snapshot, 'available', deps.clock.now());
    return;
  }
  const workDir = restoreWorkDir(deps.regions, volume.region, volume.id);
  try {
    await copySnapshotInto(deps, snapshot, volume, workDir, log, signal);
    await finishRestore(deps, snapshot, volume, 'available', null, log);
    log.info('snapshot restored');
  } catch (err) {
    if (signal.aborted) {
      log.info({ err }, 'restore interrupted; it runs again after a restart');
      return;
    }
    log.error({ err }, 'restore failed');
    const consistent = await recoverVolume(deps, volume, workDir, log);
    await finishRestore(deps, snapshot, volume, consistent ? 'available' : 'error', err, log);
  }
}

/**
 * Fills a `creating` volume whose CreateVolume named a snapshot with that snapshot's content,
 * then makes it `available`. The volume becomes `error` when the snapshot is gone or the copy
 * fails; an aborted copy (server stopping) is redone after the restart.
 */
export async function provisionFromSnapshot(
  deps: SnapshotDeps,
  volume: Volume,
  signal: AbortSignal,
): Promise<void> {
  const log = deps.logger.child({ volumeId: volume.id, snapshotId: volume.snapshotId });
  const snapshot = await findSnapshotById(deps.db, volume.snapshotId ?? '');
  if (!snapshot || !READABLE_STATES.has(snapshot.state)) {
    log.error({ snapshotState: snapshot?.state }, 'the snapshot to create the volume from is gone');
    await setVolumeStateIf(deps.db, volume.id, 'creating', 'error', deps.clock.now());
    return;
  }
  const workDir = provisionWorkDir(deps.regions, volume.region, volume.id);
  try {
    await copySnapshotInto(deps, snapshot, volume, workDir, log, signal);
    const now = deps.clock.now();
    await setVolumeStateIf(
      deps.db,
      volume.id,
      'creating',
      'available',
      now,
      snapshot.sizeBytes ?? 0,
    );
    log.info('volume created from the snapshot');
  } catch (err) {
    if (signal.aborted) {
      log.info({ err }, 'copy interrupted; it runs again after a restart');
      return;
    }
    log.error({ err }, 'creating the volume from the snapshot failed');
    await setVolumeStateIf(deps.db, volume.id, 'creating', 'error', deps.clock.now());
  }
}

async function copySnapshotInto(
  deps: SnapshotDeps,
  snapshot: Snapshot,
  volume: Volume,
  workDir: string,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const targetDir = deps.regions.volumePath(volume.region, volume.id);
  await mkdir(targetDir, { recursive: true, mode: 0o755 });
  await replicateTree({
    sourceDir: snapshotDir(deps.regions, snapshot),
    targetDir,
    workDir,
    logger: log,
    signal,
    hooks: deps.engineHooks,
  });
  await rm(workDir, { recursive: true, force: true });
}

/** Completes or discards a half-applied restore commit; returns whether that worked. */
async function recoverVolume(
  deps: SnapshotDeps,
  volume: Volume,
  workDir: string,
  log: Logger,
): Promise<boolean> {
  try {
    await recoverReplica(workDir, deps.regions.volumePath(volume.region, volume.id), log);
    return true;
  } catch (err) {
    log.error({ err }, 'recovering the volume after a failed restore failed');
    return false;
  }
}

async function finishRestore(
  deps: SnapshotDeps,
  snapshot: Snapshot,
  volume: Volume,
  volumeState: 'available' | 'error',
  err: unknown,
  log: Logger,
): Promise<void> {
  const now = deps.clock.now();
  const error = err === null ? null : errorMessage(err);
  await deps.db.transaction().execute(async (trx) => {
    await transitionSnapshot(trx, log, snapshot, 'available', now, { error });
    const usage = volumeState === 'available' && error === null ? snapshot.sizeBytes : undefined;
    await setVolumeStateIf(trx, volume.id, 'restoring', volumeState, now, usage ?? undefined);
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
