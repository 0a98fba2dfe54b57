import type { SnapshotState } from './snapshot.js';

/** The facts about one snapshot that retention decides on. */
export interface RetentionCandidate {
  id: string;
  state: SnapshotState;
  /** RFC 3339 UTC time; newer snapshots sort later. */
  createdAt: string;
}

export type KeepReason =
  /** One of the newest `keep` complete copies. */
  | 'within-retention'
  /** Still being captured; it counts once it is complete. */
  | 'in-progress'
  /** Beyond the count but being restored; a later pass removes it. */
  | 'in-use'
  /** A failed capture with no newer complete copy, kept so the failure stays visible. */
  | 'latest-failure';

export type RemoveReason =
  /** Older than the newest `keep` complete copies. */
  | 'beyond-retention'
  /** A failed capture that a newer complete copy has replaced. */
  | 'failed-capture-superseded';

export interface RetentionDecision<T> {
  keep: { snapshot: T; reason: KeepReason }[];
  remove: { snapshot: T; reason: RemoveReason }[];
}

/**
 * Decides which snapshots of one retention group (the scheduled, or the backup, snapshots of a
 * volume) to keep: the newest `keep` complete copies (`available` or `restoring`), anything still
 * being captured, and a failed capture until a newer copy succeeds. Snapshots already `deleting`
 * are left out of both lists. Throws a RangeError when `keep` is not a positive integer.
 */
export function applyRetention<T extends RetentionCandidate>(
  snapshots: readonly T[],
  keep: number,
): RetentionDecision<T> {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`retention count must be a positive integer, got ${keep}`);
  }
  const decision: RetentionDecision<T> = { keep: [], remove: [] };
  let complete = 0;
  for (const snapshot of newestFirst(snapshots)) {
    if (snapshot.state === 'deleting') continue;
    if (snapshot.state === 'creating') {
      decision.keep.push({ snapshot, reason: 'in-progress' });
    } else if (snapshot.state === 'error') {
      if (complete > 0) decision.remove.push({ snapshot, reason: 'failed-capture-superseded' });
      else decision.keep.push({ snapshot, reason: 'latest-failure' });
    } else {
      complete++;
      decideComplete(decision, snapshot, complete <= keep);
    }
  }
  return decision;
}

function decideComplete<T extends RetentionCandidate>(
  decision: RetentionDecision<T>,
  snapshot: T,
  withinCount: boolean,
): void {
  if (withinCount) decision.keep.push({ snapshot, reason: 'within-retention' });
  else if (snapshot.state === 'restoring') decision.keep.push({ snapshot, reason: 'in-use' });
  else decision.remove.push({ snapshot, reason: 'beyond-retention' });
}

function newestFirst<T extends RetentionCandidate>(snapshots: readonly T[]): T[] {
  return [...snapshots].sort((a, b) => {
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
    if (a.id === b.id) return 0;
    return a.id < b.id ? 1 : -1;
  });
}
