import type { Entry } from './entry.js';
import type { RelPath } from './rel-path.js';

/** Metadata to set on an entry that is already in place. */
export interface MetaUpdate {
  rel: RelPath;
  kind: 'file' | 'dir' | 'symlink';
  mode: number;
  atimeNs: bigint;
  mtimeNs: bigint;
}

/** A regular file to copy from the source into staging. */
export interface FileCopy {
  rel: RelPath;
  /** Path under the staging directory. */
  staged: RelPath;
  /** Size at scan time, for progress totals; the copy records the size it actually read. */
  size: number;
}

/** A symlink to create in staging. */
export interface LinkCopy {
  rel: RelPath;
  staged: RelPath;
  target: Buffer;
  atimeNs: bigint;
  mtimeNs: bigint;
}

/**
 * A directory created in staging. A new directory whose parent already exists in the replica is
 * the root of a staged tree: the whole subtree is built in staging and moved into place by one
 * rename at commit, which keeps the commit window short.
 */
export interface StagedDir {
  rel: RelPath;
  staged: RelPath;
  mode: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  isTreeRoot: boolean;
}

/** A staged file, symlink or tree root to rename into the replica at commit. */
export interface Placement {
  staged: RelPath;
  rel: RelPath;
}

/**
 * A replica directory whose owner needs rwx during the commit: to add or remove its entries, or,
 * for a directory being deleted, to rename it into the trash (renaming a directory updates its
 * '..' entry). `mode` is its current mode; a later metadata update or the deletion ends the change.
 */
export interface Unlock {
  rel: RelPath;
  mode: number;
}

/** Everything one run will do, decided before anything is written. */
export interface Plan {
  /** Replica entries to remove, topmost only: a deleted directory takes its subtree with it. */
  deletions: RelPath[];
  unlocks: Unlock[];
  /** Parents come before their children. */
  stagedDirs: StagedDir[];
  copies: FileCopy[];
  links: LinkCopy[];
  placements: Placement[];
  /** Files and symlinks whose content is unchanged but whose mode or mtime differ. */
  entryMeta: MetaUpdate[];
  /** Replica directories to give the source's mode and mtime, after all other changes. */
  dirMeta: MetaUpdate[];
  skippedSpecial: RelPath[];
  entriesScanned: number;
  /** Sum of the sizes of all source regular files, unchanged ones included. */
  sourceBytes: number;
  bytesToCopy: number;
  /** Existing entries whose mode or mtime differ from the source. */
  metadataChanges: number;
}

export function emptyPlan(): Plan {
  return {
    deletions: [],
    unlocks: [],
    stagedDirs: [],
    copies: [],
    links: [],
    placements: [],
    entryMeta: [],
    dirMeta: [],
    skippedSpecial: [],
    entriesScanned: 0,
    sourceBytes: 0,
    bytesToCopy: 0,
    metadataChanges: 0,
  };
}

/** Builds the metadata update that gives `rel` the source entry's mode and times. */
export function metaUpdateFor(rel: RelPath, source: Entry): MetaUpdate {
  if (source.kind === 'special') throw new Error('Special files have no replicated metadata');
  return {
    rel,
    kind: source.kind,
    mode: source.mode,
    atimeNs: source.atimeNs,
    mtimeNs: source.mtimeNs,
  };
}

/** Tells whether the owner lacks any of read, write and search on a directory mode. */
export function ownerLacksRwx(mode: number): boolean {
  return (mode & 0o700) !== 0o700;
}
