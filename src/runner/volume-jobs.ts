import { mkdir, rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { RegionStorage } from '../regions/region-storage.js';
import { removeVolumeSnapshots } from '../snapshots/removal.js';
import type { Database } from '../store/schema.js';
import { deleteVolumeRow, listVolumesInState } from '../volumes/volume-repository.js';
import type { Volume } from '../volumes/volume.js';

export interface VolumeJobDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  regions: RegionStorage;
}

/** Creates the directory of every `creating` volume and makes it `available`. */
export async function provisionVolumes(deps: VolumeJobDeps): Promise<void> {
  for (const volume of await listVolumesInState(deps.db, 'creating')) {
    // The snapshot jobs fill a volume created from a snapshot before making it available.
    if (volume.snapshotId !== null) continue;
    await runVolumeJob(deps, volume, 'provision', async () => {
      await mkdir(deps.regions.volumePath(volume.region, volume.id), {
        recursive: true,
        mode: 0o755,
      });
      // Conditional, so a delete accepted meanwhile is not overwritten.
      await deps.db
        .updateTable('volumes')
        .set({ state: 'available', updated_at: deps.clock.now().toISOString() })
        .where('id', '=', volume.id)
        .where('state', '=', 'creating')
        .execute();
    });
  }
}

/** Removes the files and the row of every `deleting` volume. */
export async function removeDeletedVolumes(deps: VolumeJobDeps): Promise<void> {
  for (const volume of await listVolumesInState(deps.db, 'deleting')) {
    // Its replications end first, so no run can write into the directory being removed.
    if (await isInReplication(deps, volume.id)) continue;
    await runVolumeJob(deps, volume, 'remove', async () => {
      await removeVolumeSnapshots(deps, volume);
      await rm(deps.regions.volumePath(volume.region, volume.id), { recursive: true, force: true });
      await deleteVolumeRow(deps.db, volume.id);
    });
  }
}

async function isInReplication(deps: VolumeJobDeps, volumeId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('replications')
    .select('id')
    .where((eb) =>
      eb.or([eb('source_volume_id', '=', volumeId), eb('target_volume_id', '=', volumeId)]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

async function runVolumeJob(
  deps: VolumeJobDeps,
  volume: Volume,
  job: string,
  work: () => Promise<void>,
): Promise<void> {
  const log = deps.logger.child({ volumeId: volume.id, region: volume.region });
  try {
    await work();
    log.info({ job }, 'volume job done');
  } catch (err) {
    log.error({ err, job }, 'volume job failed; retrying on the next tick');
  }
}
