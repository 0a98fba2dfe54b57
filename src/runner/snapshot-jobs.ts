import type { Logger } from 'pino';
import { captureRequestedSnapshot } from '../snapshots/capture-job.js';
import type { SnapshotDeps } from '../snapshots/deps.js';
import { pruneSnapshots, removeSnapshot } from '../snapshots/removal.js';
import { provisionFromSnapshot, restoreSnapshot } from '../snapshots/restore-job.js';
import { fireSchedule } from '../snapshots/schedule-runs.js';
import { findPolicy, listDueSchedules } from '../snapshots/schedule-repository.js';
import { listSnapshotsInState } from '../snapshots/snapshot-repository.js';
import type { Snapshot } from '../snapshots/snapshot.js';
import { transitionSnapshot } from '../snapshots/transitions.js';
import { listVolumesInState } from '../volumes/volume-repository.js';

/**
 * Runs one pass over the snapshot work, in this order: remove deleted snapshots, fire due
 * schedules, capture requested snapshots, restore snapshots into volumes, fill volumes created
 * from a snapshot. Captures run before restores, so a snapshot requested before a restore
 * contains the content from before it. Jobs run one at a time inside the runner's tick, so none
 * overlaps the tick's volume provisioning and removal.
 * NOTE: a long capture or restore therefore delays the rest of the tick: provisioning, volume
 * removal and starting replication runs. Runs already started continue.
 */
export async function runSnapshotJobs(deps: SnapshotDeps, signal: AbortSignal): Promise<void> {
  await removeDeletedSnapshots(deps, signal);
  await fireDueSchedules(deps, signal);
  await captureRequestedSnapshots(deps, signal);
  for (const snapshot of await listSnapshotsInState(deps.db, 'restoring')) {
    if (signal.aborted) return;
    const ids = { job: 'restore', snapshotId: snapshot.id, volumeId: snapshot.volumeId };
    await runJob(deps.logger, ids, () => restoreSnapshot(deps, snapshot, signal));
  }
  for (const volume of await listVolumesInState(deps.db, 'creating')) {
    if (signal.aborted) return;
    if (volume.snapshotId === null) continue;
    const ids = { job: 'provision', volumeId: volume.id, snapshotId: volume.snapshotId };
    await runJob(deps.logger, ids, () => provisionFromSnapshot(deps, volume, signal));
  }
}

/** Removes `deleting` snapshots, except those another caller of this process removes inline. */
async function removeDeletedSnapshots(deps: SnapshotDeps, signal: AbortSignal): Promise<void> {
  for (const snapshot of await listSnapshotsInState(deps.db, 'deleting')) {
    if (signal.aborted) return;
    if (snapshot.jobOwner === deps.owner) continue;
    const ids = { job: 'remove', snapshotId: snapshot.id, volumeId: snapshot.volumeId };
    await runJob(deps.logger, ids, async () => {
      await removeSnapshot(deps, snapshot);
      deps.logger.info(ids, 'snapshot removed');
    });
  }
}

async function fireDueSchedules(deps: SnapshotDeps, signal: AbortSignal): Promise<void> {
  for (const schedule of await listDueSchedules(deps.db, deps.clock.now())) {
    if (signal.aborted) return;
    const ids = { job: 'schedule', scheduleId: schedule.id, volumeId: schedule.volumeId };
    await runJob(deps.logger, ids, async () => {
      const snapshot = await fireSchedule(deps, schedule);
      if (snapshot)
        deps.logger.info({ ...ids, snapshotId: snapshot.id }, 'snapshot schedule fired');
    });
  }
}

/**
 * Captures `creating` snapshots. A row owned by another process is an inline capture (a backup
 * copy) abandoned when that process died, so it is handed over for removal. Rows owned by this
 * process are being captured inline right now and are skipped.
 */
async function captureRequestedSnapshots(deps: SnapshotDeps, signal: AbortSignal): Promise<void> {
  for (const snapshot of await listSnapshotsInState(deps.db, 'creating')) {
    if (signal.aborted) return;
    if (snapshot.jobOwner === deps.owner) continue;
    const ids = { job: 'capture', snapshotId: snapshot.id, volumeId: snapshot.volumeId };
    await runJob(deps.logger, ids, async () => {
      if (snapshot.jobOwner !== null) return abandonCapture(deps, snapshot);
      const available = await captureRequestedSnapshot(deps, snapshot, signal);
      if (available && snapshot.kind === 'scheduled') await pruneScheduled(deps, snapshot);
    });
  }
}

async function abandonCapture(deps: SnapshotDeps, snapshot: Snapshot): Promise<void> {
  const log = deps.logger.child({ snapshotId: snapshot.id, volumeId: snapshot.volumeId });
  log.warn({ jobOwner: snapshot.jobOwner }, 'removing a capture abandoned by a stopped process');
  await transitionSnapshot(deps.db, log, snapshot, 'deleting', deps.clock.now(), {
    job_owner: null,
  });
}

/** Keeps the volume's snapshot retention count of scheduled snapshots, oldest removed first. */
async function pruneScheduled(deps: SnapshotDeps, snapshot: Snapshot): Promise<void> {
  const policy = await findPolicy(deps.db, snapshot.volumeId);
  if (!policy) return;
  const log = deps.logger.child({ volumeId: snapshot.volumeId });
  await pruneSnapshots(deps, snapshot.volumeId, 'scheduled', policy.retentionCount, log);
}

/** Runs one job; a failure is logged with the job's id and retried on the next tick. */
async function runJob(
  logger: Logger,
  ids: Record<string, string | null>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    logger.error({ err, ...ids }, 'snapshot job failed; retrying on the next tick');
  }
}
