import { constants } from 'node:fs';
import { chmod, lstat, open, type FileHandle } from 'node:fs/promises';
import { readDelta } from './delta-file.js';
import { errnoCode } from './errors.js';
import { callHook, type EngineHooks } from './hooks.js';
import { nativeBinding } from './native.js';
import { relToBuffer, type RelPath } from './rel-path.js';
import { writeFully } from './stage-file.js';

const zeroChunk = Buffer.alloc(1024 * 1024);

/** Counters of the patches applied. */
export interface PatchCounters {
  /** Bytes written into replica files in place. */
  bytesPatched: number;
}

/**
 * Applies a delta file to a replica file in place: each record's bytes at its offset, each zeros
 * record as a hole (or zero bytes without the addon), then the final size, then fdatasync.
 * Returns false, changing nothing, when the replica has no regular file at `target`.
 */
export async function applyPatch(
  target: Buffer,
  delta: Buffer,
  size: number,
  rel: RelPath,
  counters: PatchCounters,
  afterWrite: EngineHooks['afterPatchWrite'],
): Promise<boolean> {
  const deltaHandle = await open(delta, 'r');
  try {
    const file = await openForPatch(target);
    if (file === undefined) return false;
    try {
      for await (const record of readDelta(deltaHandle)) {
        if (record.data === undefined) await clearRange(file, record.offset, record.length);
        else await writeFully(file, record.data, record.offset);
        if (record.data !== undefined) counters.bytesPatched += record.length;
        await callHook(() => afterWrite?.(relToBuffer(rel), record.offset, record.length));
      }
      await file.truncate(size);
      await file.datasync();
    } finally {
      await file.close();
    }
    return true;
  } finally {
    await deltaHandle.close();
  }
}

/**
 * Opens the replica file for writing without following a symlink. A file without owner write
 * permission (possible when not running as root) gets it first, and the meta op after the
 * patch restores the mode.
 */
async function openForPatch(target: Buffer): Promise<FileHandle | undefined> {
  const flags = constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  try {
    const stats = await lstat(target);
    if (!stats.isFile()) return undefined;
    if ((stats.mode & 0o200) === 0 && process.getuid?.() !== 0)
      await chmod(target, stats.mode | 0o200);
    return await open(target, flags);
  } catch (error) {
    if (['ENOENT', 'ELOOP', 'ENOTDIR'].includes(errnoCode(error) ?? '')) return undefined;
    throw error;
  }
}

async function clearRange(file: FileHandle, offset: number, length: number): Promise<void> {
  const native = nativeBinding();
  try {
    if (native !== undefined) return native.punchHole(file.fd, offset, length);
  } catch (error) {
    if (!['EOPNOTSUPP', 'ENOTSUP'].includes(errnoCode(error) ?? '')) throw error;
  }
  for (let done = 0; done < length; done += zeroChunk.length) {
    const chunk = zeroChunk.subarray(0, Math.min(zeroChunk.length, length - done));
    await writeFully(file, chunk, offset + done);
  }
}
