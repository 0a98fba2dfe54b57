import type { Entry } from './entry.js';
import type { IndexRecord } from './index-codec.js';
import type { RelPath } from './rel-path.js';
import type { ReplicaEntry } from './replica-view.js';

/**
 * The first path the planner met of a source inode with several links. Later paths of the same
 * inode become hard links of the leader's replica inode.
 */
export interface Leader {
  rel: RelPath;
  /** The leader's file task, when the run stages it. */
  seq?: number;
  staged?: RelPath;
  /** What the replica had at the leader's path, if anything. */
  replica?: ReplicaEntry;
  /** The leader's index record, when it is complete at planning time (no task). */
  record?: IndexRecord;
}

/**
 * Leaders of the multi-link source inodes met so far. A group is forgotten once all its links
 * were met, so memory grows only with groups that have links elsewhere (outside the volume).
 */
export class LinkGroups {
  readonly #groups = new Map<string, { leader: Leader; unseen: number }>();

  /** Returns the leader of the entry's inode and counts the entry as met, if there is one. */
  leaderOf(source: Entry): Leader | undefined {
    const key = inodeKey(source);
    const group = this.#groups.get(key);
    if (group === undefined) return undefined;
    group.unseen--;
    if (group.unseen <= 0) this.#groups.delete(key);
    return group.leader;
  }

  /** Makes `leader` the leader of the entry's inode; the entry is its first link met. */
  register(source: Entry, leader: Leader): void {
    if (source.nlink > 1) this.#groups.set(inodeKey(source), { leader, unseen: source.nlink - 1 });
  }
}

/** Tells whether two replica entries are files sharing one inode (hard links of each other). */
export function sameInode(a: ReplicaEntry | undefined, b: ReplicaEntry | undefined): boolean {
  if (a?.kind !== 'file' || b?.kind !== 'file') return false;
  return a.dev === b.dev && a.ino === b.ino;
}

export function inodeKey(entry: { dev: bigint; ino: bigint }): string {
  return `${entry.dev}:${entry.ino}`;
}
