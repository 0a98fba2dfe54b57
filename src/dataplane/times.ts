import type { FileHandle } from 'node:fs/promises';
import { lutimes, utimes } from 'node:fs/promises';
import { mtimesMatch, toUtimesSeconds } from './mtime.js';
import { nativeBinding } from './native.js';

/** Tells whether times are set to the nanosecond, which needs the native addon. */
export function nanosecondTimes(): boolean {
  return nativeBinding() !== undefined;
}

/**
 * Tells whether a replica time equals the source time it was copied from: exactly when the addon
 * sets nanoseconds, otherwise within the microsecond rounding of fs.utimes (see mtimesMatch).
 */
export function replicaTimeMatches(sourceNs: bigint, replicaNs: bigint): boolean {
  return nanosecondTimes() ? sourceNs === replicaNs : mtimesMatch(sourceNs, replicaNs);
}

/** Sets atime and mtime of the entry at `path`, never following a final symlink. */
export async function setPathTimes(
  path: Buffer,
  atimeNs: bigint,
  mtimeNs: bigint,
  isSymlink: boolean,
): Promise<void> {
  const native = nativeBinding();
  if (native !== undefined) {
    native.utimens(path, atimeNs, mtimeNs);
    return;
  }
  const setTimes = isSymlink ? lutimes : utimes;
  await setTimes(path, toUtimesSeconds(atimeNs), toUtimesSeconds(mtimeNs));
}

/** Sets atime and mtime of an open file or directory. */
export async function setHandleTimes(
  handle: FileHandle,
  atimeNs: bigint,
  mtimeNs: bigint,
): Promise<void> {
  const native = nativeBinding();
  if (native !== undefined) {
    native.futimens(handle.fd, atimeNs, mtimeNs);
    return;
  }
  await handle.utimes(toUtimesSeconds(atimeNs), toUtimesSeconds(mtimeNs));
}
