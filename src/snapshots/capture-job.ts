import type { Logger } from 'pino';
import { TransferError } from '../dataplane/errors.js';
import type { EngineHooks } from '../dataplane/hooks.js';
import { removeTree } from '../dataplane/remove-tree.js';
import { findVolumeById, updateVolumeUsage } from '../volumes/volume-repository.js';
import { captureTree, type CaptureResult } from './capture.js';
import type { SnapshotDeps } from './deps.js';
import { findLinkBase } from './snapshot-repository.js';
import { snapshotDir } from './snapshot-paths.js';
import type { Snapshot } from './snapshot.js';
import { transitionSnapshot } from './transitions.js';

/** Whole-tree attempts before a volume that keeps changing under the capture fails it. */
const MAX_CAPTURE_ATTEMPTS = 3;

/**
 * Copies the snapshot's volume into the snapshot directory, hard-linking unchanged files from the
 * newest complete snapshot of the volume. A capture that met an entry changing its type is
 * started again, up to MAX_CAPTURE_ATTEMPTS times. Throws when the volume is gone or the capture
 * fails; the partial directory is then left for the caller to remove.
 */
export async function captureSnapshotFiles(
  deps: SnapshotDeps,
  snapshot: Snapshot,
  log: Logger,
  signal?: AbortSignal,
  hooks?: EngineHooks,
): Promise<CaptureResult> {
  const volume = await findVolumeById(deps.db, snapshot.volumeId);
  if (!volume) throw new Error(`volume ${snapshot.volumeId} no longer exists`);
  const base = await findLinkBase(deps.db, snapshot.volumeId, snapshot.id);
  const options = {
    sourceDir: deps.regions.volumePath(volume.region, volume.id),
    snapshotDir: snapshotDir(deps.regions, snapshot),
    base: base && { dir: snapshotDir(deps.regions, base), markerCtimeNs: base.captureCtimeNs! },
    logger: log,
    signal,
    hooks,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await captureTree(options);
    } catch (err) {
      const changed = err instanceof TransferError && err.code === 'SOURCE_CHANGED';
      if (!changed || attempt >= MAX_CAPTURE_ATTEMPTS) throw err;
      log.warn({ err, attempt }, 'volume changed during the capture; capturing again');
    }
  }
}

/**
 * Records a finished capture: the snapshot becomes `available` with its size and capture marker,
 * and the volume's usage is the size just measured. Returns false, after removing the files,
 * when the snapshot left `creating` meanwhile (its volume was deleted).
 */
export async function completeCapture(
  deps: SnapshotDeps,
  snapshot: Snapshot,
  result: CaptureResult,
  log: Logger,
): Promise<boolean> {
  const now = deps.clock.now();
  const completed = await deps.db.transaction().execute(async (trx) => {
    const moved = await transitionSnapshot(trx, log, snapshot, 'available', now, {
      size_bytes: result.sizeBytes,
      capture_ctime_ns: result.markerCtimeNs.toString(),
      job_owner: null,
      error: null,
    });
    if (moved) await updateVolumeUsage(trx, snapshot.volumeId, result.sizeBytes);
    return moved;
  });
  if (!completed) await removeTree(Buffer.from(snapshotDir(deps.regions, snapshot)));
  return completed;
}

/**
 * Captures a `creating` snapshot requested through the API or a schedule. A failed capture
 * leaves no files and puts the snapshot in `error`. An aborted one (server stopping) stays
 * `creating` and is captured again after the restart. Returns whether the snapshot is available.
 */
export async function captureRequestedSnapshot(
  deps: SnapshotDeps,
  snapshot: Snapshot,
  signal: AbortSignal,
): Promise<boolean> {
  const log = deps.logger.child({ snapshotId: snapshot.id, volumeId: snapshot.volumeId });
  try {
    const result = await captureSnapshotFiles(deps, snapshot, log, signal, deps.engineHooks);
    const completed = await completeCapture(deps, snapshot, result, log);
    log.info({ ...result, markerCtimeNs: undefined }, 'snapshot captured');
    return completed;
  } catch (err) {
    await removeTree(Buffer.from(snapshotDir(deps.regions, snapshot)));
    if (signal.aborted) {
      log.info({ err }, 'snapshot capture interrupted; it starts again after a restart');
      return false;
    }
    log.error({ err }, 'snapshot capture failed');
    const message = err instanceof Error ? err.message : String(err);
    await transitionSnapshot(deps.db, log, snapshot, 'error', deps.clock.now(), {
      error: message,
    });
    return false;
  }
}
