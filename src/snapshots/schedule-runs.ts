import { findVolumeById } from '../volumes/volume-repository.js';
import type { SnapshotDeps } from './deps.js';
import { nextSnapshotRunAt } from './schedule-time.js';
import { updateSchedule } from './schedule-repository.js';
import { insertSnapshot } from './snapshot-repository.js';
import { newSnapshotRow } from './snapshot-rows.js';
import type { Snapshot, SnapshotSchedule } from './snapshot.js';

/**
 * Fires a due schedule: requests a `scheduled` snapshot of its volume and moves the next run to
 * the schedule's first time after now, so runs missed while the server was down coalesce into
 * one. A volume that is not `available` (being created, restored or deleted) leaves the schedule
 * due, and it fires on the first tick after the volume is available again. Returns the
 * requested snapshot, or undefined when the schedule stays due.
 */
export async function fireSchedule(
  deps: SnapshotDeps,
  schedule: SnapshotSchedule,
): Promise<Snapshot | undefined> {
  const now = deps.clock.now();
  const timeZone = deps.config.timeZone;
  return deps.db.transaction().execute(async (trx) => {
    const volume = await findVolumeById(trx, schedule.volumeId);
    if (volume?.state !== 'available') return undefined;
    const row = newSnapshotRow(volume, 'scheduled', now, timeZone, { scheduleId: schedule.id });
    const snapshot = await insertSnapshot(trx, row);
    await updateSchedule(trx, schedule.id, {
      next_run_at: nextSnapshotRunAt(schedule, now, timeZone).toISOString(),
      last_run_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    return snapshot;
  });
}
