import type { BigIntStats } from 'node:fs';

/** Entry types the engine distinguishes. `special` covers devices, sockets and FIFOs. */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'special';

/** The lstat facts one tree entry is compared and replicated by. */
export interface Entry {
  kind: EntryKind;
  /** Permission bits including setuid, setgid and sticky (st_mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Size in bytes; 0 for directories and special files. */
  size: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  /** Changes on every write, rename, link count, mode, owner or attribute change. */
  ctimeNs: bigint;
  dev: bigint;
  ino: bigint;
  nlink: number;
  /** Allocated 512-byte blocks, to tell sparse files apart. */
  blocks: number;
  /** Raw target bytes of a symlink. */
  linkTarget?: Buffer;
}

/** Builds an Entry from bigint lstat results. */
export function entryFromStats(stats: BigIntStats): Entry {
  const kind = kindOf(stats);
  return {
    kind,
    mode: Number(stats.mode & 0o7777n),
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    size: kind === 'file' || kind === 'symlink' ? Number(stats.size) : 0,
    atimeNs: stats.atimeNs,
    mtimeNs: stats.mtimeNs,
    ctimeNs: stats.ctimeNs,
    dev: stats.dev,
    ino: stats.ino,
    nlink: Number(stats.nlink),
    blocks: Number(stats.blocks),
  };
}

export function kindOf(stats: BigIntStats): EntryKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'special';
}

/** Tells whether a file has fewer allocated bytes than its size, so it may contain holes. */
export function mayHaveHoles(entry: Pick<Entry, 'size' | 'blocks'>): boolean {
  return entry.blocks * 512 < entry.size;
}
