import { constants, existsSync, type BigIntStats } from 'node:fs';
import { lstat, open, readlink, type FileHandle } from 'node:fs/promises';
import { errnoCode, TransferError } from './errors.js';
import type { RelPath } from './rel-path.js';

/**
 * O_NOFOLLOW makes the open fail instead of following a symlink that replaced the file after the
 * scan. O_NONBLOCK keeps the open from hanging on a FIFO that replaced it.
 */
const SOURCE_OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

let procFdAvailable: boolean | undefined;

/** lstat of a source file; undefined when it no longer exists. */
export async function lstatSource(path: Buffer, rel: RelPath): Promise<BigIntStats | undefined> {
  try {
    return await lstat(path, { bigint: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw sourceReadError(rel, 'lstat', error);
  }
}

/** Opens a source file for reading without following symlinks; undefined when it is gone. */
export async function openSourceFile(path: Buffer, rel: RelPath): Promise<FileHandle | undefined> {
  try {
    return await open(path, SOURCE_OPEN_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw notRegularFileError(rel, error);
    throw sourceReadError(rel, 'open', error);
  }
}

/**
 * Returns the path copyFile should read. On Linux that is /proc/self/fd/N, which names the inode
 * already opened and checked, so a rename racing the copy cannot substitute another file.
 * Elsewhere it is the plain path.
 */
export function copySourcePath(handle: FileHandle, path: Buffer): string | Buffer {
  return procFdSupported() ? procFdPath(handle) : path;
}

/**
 * Tells whether the opened file is still reached by `path`. On Linux the kernel reports the path
 * the descriptor was opened through. A directory above the file that was swapped for a symlink
 * after the scan, which could lead outside the volume, therefore shows up here as a different
 * path before anything is read.
 * NOTE: where /proc is missing this check passes without looking, so such a swap made before the
 * pre-copy stat goes unnoticed and the file outside the volume is copied.
 */
export async function openedPathMatches(handle: FileHandle, path: Buffer): Promise<boolean> {
  if (!procFdSupported()) return true;
  const opened = await readlink(procFdPath(handle), { encoding: 'buffer' });
  return opened.equals(path);
}

function procFdSupported(): boolean {
  procFdAvailable ??= process.platform === 'linux' && existsSync('/proc/self/fd');
  return procFdAvailable;
}

function procFdPath(handle: FileHandle): string {
  return `/proc/self/fd/${handle.fd}`;
}

/** Tells whether two stats describe the same file with the same content and metadata. */
export function sameFileState(a: BigIntStats, b: BigIntStats): boolean {
  return (
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs &&
    b.isFile()
  );
}

export function notRegularFileError(rel: RelPath, cause?: unknown): TransferError {
  return new TransferError(
    'SOURCE_CHANGED',
    'The source entry is no longer a regular file; the next run will pick up the change',
    { path: rel, operation: 'open', cause },
  );
}

export function sourceReadError(rel: RelPath, operation: string, cause: unknown): TransferError {
  return new TransferError('SOURCE_UNREADABLE', `Reading the source file failed (${operation})`, {
    path: rel,
    operation,
    cause,
  });
}
