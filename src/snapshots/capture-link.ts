import type { BigIntStats } from 'node:fs';
import { link, lstat } from 'node:fs/promises';
import { errnoCode } from '../dataplane/errors.js';
import { mtimesMatch } from '../dataplane/mtime.js';
import { fsPath, type RelPath } from '../dataplane/rel-path.js';
import { stagingWriteError } from '../dataplane/stage-file.js';

/** The previous snapshot of the same volume and the ctime bound below which its files are reused. */
export interface LinkBase {
  root: Buffer;
  markerCtimeNs: bigint;
}

/**
 * link() failures after which the file is copied instead: the base was removed meanwhile
 * (ENOENT), the inode has the maximum number of links (EMLINK), or the file system does not
 * allow a hard link there (EXDEV, EPERM, ENOTSUP, EOPNOTSUPP).
 */
const LINK_FALLBACK_CODES = new Set([
  'ENOENT',
  'EMLINK',
  'EXDEV',
  'EPERM',
  'ENOTSUP',
  'EOPNOTSUPP',
]);

/**
 * Hard-links the base snapshot's copy of `rel` into `targetRoot` when the source file (lstat
 * `stats`) cannot have changed since the base was captured. That is so when its ctime is older
 * than the base's marker, which was taken before the base read anything. Any change of content,
 * metadata or name moves ctime (a rename too: checked on ext4 and tmpfs under Linux 6.18), so the
 * file last changed before the base copied it. Size, mtime and mode must match as well. Snapshot
 * files are never written after their capture, so sharing the inode cannot carry a later change
 * into either snapshot. Returns false when the file must be copied; `onFallback` gets the errors
 * that prevented an allowed link.
 * NOTE: this trusts the clock behind ctime. A system clock set back between two captures can make
 * a file changed after the base look older than the marker.
 */
export async function linkFromBase(
  base: LinkBase | undefined,
  targetRoot: Buffer,
  rel: RelPath,
  stats: BigIntStats,
  onFallback: (error: unknown) => void,
): Promise<boolean> {
  if (base === undefined || stats.ctimeNs >= base.markerCtimeNs) return false;
  const basePath = fsPath(base.root, rel);
  const baseStats = await lstatBase(basePath, onFallback);
  if (baseStats === undefined || !sameFileContent(stats, baseStats)) return false;
  try {
    await link(basePath, fsPath(targetRoot, rel));
    return true;
  } catch (error) {
    if (!LINK_FALLBACK_CODES.has(errnoCode(error) ?? '')) {
      throw stagingWriteError(rel, 'link', error);
    }
    onFallback(error);
    return false;
  }
}

/** lstat of the base's copy; undefined when it is missing or cannot be read. */
async function lstatBase(
  basePath: Buffer,
  onFallback: (error: unknown) => void,
): Promise<BigIntStats | undefined> {
  try {
    return await lstat(basePath, { bigint: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') onFallback(error);
    return undefined;
  }
}

/** Tells whether the base's file has the source file's size, mtime and permission bits. */
function sameFileContent(source: BigIntStats, base: BigIntStats): boolean {
  return (
    base.isFile() &&
    base.size === source.size &&
    (base.mode & 0o7777n) === (source.mode & 0o7777n) &&
    mtimesMatch(base.mtimeNs, source.mtimeNs)
  );
}
