export { captureRetainedCopy, type RetainedCopyOptions } from './retained-copy.js';
export { removeVolumeSnapshots } from './removal.js';
export type { SnapshotDeps } from './deps.js';
export type { Snapshot, SnapshotKind, SnapshotState } from './snapshot.js';
