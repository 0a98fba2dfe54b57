import path from 'node:path';
import type { RegionConfig } from '../config/config.js';

/**
 * Maps regions to their directories. Pure path arithmetic: nothing here touches the file system.
 * Layout of a region root: `volumes/<volume_id>/` contains a volume's files, `.scpfs/work/<id>/`
 * contains a replication's staging area and journal, outside every volume.
 */
export class RegionStorage {
  readonly #roots: Map<string, string>;

  constructor(regions: RegionConfig[]) {
    this.#roots = new Map(regions.map((r) => [r.name, r.root]));
  }

  get regionNames(): string[] {
    return [...this.#roots.keys()];
  }

  has(region: string): boolean {
    return this.#roots.has(region);
  }

  root(region: string): string {
    const root = this.#roots.get(region);
    if (root === undefined) throw new Error(`region ${region} is not configured`);
    return root;
  }

  volumePath(region: string, volumeId: string): string {
    return path.join(this.root(region), 'volumes', volumeId);
  }

  replicationWorkDir(region: string, replicationId: string): string {
    return path.join(this.root(region), '.scpfs', 'work', replicationId);
  }
}
