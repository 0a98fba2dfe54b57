import path from 'node:path';
import type { RegionStorage } from '../regions/region-storage.js';
import type { Snapshot } from './snapshot.js';

/**
 * Directories of snapshot work inside a region root. Snapshots live outside every volume in
 * `snapshots/<volume_id>/<snapshot_id>/`. Restores, and volumes created from a snapshot, commit
 * through work directories under `.scpfs/work/`, next to the replication work directories.
 */
export function volumeSnapshotsDir(regions: RegionStorage, region: string, volumeId: string) {
  return path.join(regions.root(region), 'snapshots', volumeId);
}

export function snapshotDir(
  regions: RegionStorage,
  snapshot: Pick<Snapshot, 'region' | 'volumeId' | 'id'>,
): string {
  return path.join(volumeSnapshotsDir(regions, snapshot.region, snapshot.volumeId), snapshot.id);
}

/** Work directory of restores into a volume; one restore runs per volume at a time. */
export function restoreWorkDir(regions: RegionStorage, region: string, volumeId: string) {
  return path.join(regions.root(region), '.scpfs', 'work', `restore-${volumeId}`);
}

/** Work directory of the copy that fills a volume created from a snapshot. */
export function provisionWorkDir(regions: RegionStorage, region: string, volumeId: string) {
  return path.join(regions.root(region), '.scpfs', 'work', `provision-${volumeId}`);
}
