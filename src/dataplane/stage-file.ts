import { constants, type BigIntStats } from 'node:fs';
import { copyFile, open, unlink, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { readSourceConsistently } from './consistent-read.js';
import { errnoCode, TransferError } from './errors.js';
import {
  blockCount,
  forEachBlock,
  HASH_BYTES,
  holeDetectionFor,
  type HoleDetection,
} from './file-blocks.js';
import type { EngineHooks } from './hooks.js';
import { setHandleOwner } from './ownership.js';
import { fsPath, type RelPath } from './rel-path.js';
import { copySourcePath, sourceReadError } from './source-file.js';
import { setHandleTimes } from './times.js';
import { readXattrs, writeXattrs, type XattrList } from './xattrs.js';

export { MAX_COPY_ATTEMPTS } from './consistent-read.js';

/** errno codes of a copy that point at the staging side rather than the source. */
const WRITE_SIDE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG', 'EEXIST']);

export interface StageFileContext {
  sourceRoot: Buffer;
  stagingRoot: Buffer;
  logger: Logger;
  hooks: EngineHooks | undefined;
  /** Flush each staged file to disk, so a committed run survives power loss. */
  fsync: boolean;
  /**
   * Copy through memory and return the block hashes (see file-blocks.ts). Without it a file
   * without holes is copied with copyFile, which clones it where the file system can.
   */
  hashBlocks?: boolean;
}

/** A regular file to copy from the source into staging. */
export interface FileCopy {
  rel: RelPath;
  /** Path under the staging directory. */
  staged: RelPath;
  /** Size at scan time, for progress totals; the copy records the size it actually read. */
  size: number;
}

/** A staged copy: the source's stats from before the copy, its hashes and attributes. */
export interface StagedCopy {
  bytesCopied: number;
  stats: BigIntStats;
  /** Block hashes, when the context asked for them. */
  hashes: Buffer | undefined;
  xattrs: XattrList;
}

/** Result of staging one file: the copy, or 'vanished' when the source was removed. */
export type StageFileResult = StagedCopy | 'vanished';

/**
 * Copies one source file into staging and gives the copy the source's owner (as root), mode,
 * user.* attributes and times. Holes stay holes. The source is stat'ed before and after each
 * copy; a copy during which the file changed is discarded and redone, so a torn file is never
 * staged.
 */
export async function stageFile(ctx: StageFileContext, copy: FileCopy): Promise<StageFileResult> {
  const content = await stageFileContent(ctx, copy);
  if (content === 'vanished') return 'vanished';
  await finishStagedFile(content, copy.rel, ctx.fsync);
  return content.copy;
}

/** A staged copy whose metadata is not set yet, with its open handle. */
export interface StagedContent {
  copy: StagedCopy;
  handle: FileHandle;
  path: Buffer;
}

/**
 * Copies the content only, leaving the staged file open with mode 0600, so that the caller can
 * finish it (finishStagedFile) or drop it (discardStagedFile).
 */
export async function stageFileContent(
  ctx: StageFileContext,
  copy: FileCopy,
): Promise<StagedContent | 'vanished'> {
  const path = fsPath(ctx.stagingRoot, copy.staged);
  const handle = await createStagedFile(path, copy.rel);
  try {
    const read = await readSourceConsistently(ctx, copy.rel, async (source, before) => ({
      hashes: await copyContent(ctx, source, before, { handle, path }, copy.rel),
      xattrs: readSourceXattrs(source, copy.rel),
    }));
    if (read === 'vanished') {
      await discardStagedFile({ handle, path });
      return 'vanished';
    }
    const bytesCopied = Number(read.stats.size);
    return { copy: { bytesCopied, stats: read.stats, ...read.value }, handle, path };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Gives the staged file its owner, mode, attributes and times, flushes it and closes it. */
export async function finishStagedFile(
  content: StagedContent,
  rel: RelPath,
  fsync: boolean,
): Promise<void> {
  const { handle, copy } = content;
  try {
    await setHandleOwner(handle, Number(copy.stats.uid), Number(copy.stats.gid));
    await handle.chmod(Number(copy.stats.mode & 0o7777n));
    writeXattrs(handle.fd, copy.xattrs);
    await setHandleTimes(handle, copy.stats.atimeNs, copy.stats.mtimeNs);
    if (fsync) await handle.sync();
  } catch (error) {
    throw stagingWriteError(rel, 'fchown/fchmod/fsetxattr/futimens/fsync', error);
  } finally {
    await handle.close();
  }
}

/** Closes and deletes a staged file that will not be used. */
export async function discardStagedFile(
  content: Pick<StagedContent, 'handle' | 'path'>,
): Promise<void> {
  await content.handle.close();
  await unlink(content.path);
}

/**
 * Creates the staged file before copying, keeping a handle to it: the copy refills the same
 * inode, and the handle sets metadata and fsync whatever mode the copy received.
 */
async function createStagedFile(stagedPath: Buffer, rel: RelPath): Promise<FileHandle> {
  try {
    return await open(stagedPath, 'wx', 0o600);
  } catch (error) {
    throw stagingWriteError(rel, 'open', error);
  }
}

/** Copies the content and returns the block hashes when the context requests them. */
async function copyContent(
  ctx: StageFileContext,
  source: FileHandle,
  before: BigIntStats,
  staged: { handle: FileHandle; path: Buffer },
  rel: RelPath,
): Promise<Buffer | undefined> {
  const size = Number(before.size);
  const holes = holeDetectionFor(size, Number(before.blocks));
  try {
    if (ctx.hashBlocks !== true && holes === 'none') {
      await copyFile(copySourcePath(source, staged.path), staged.path, constants.COPYFILE_FICLONE);
      return undefined;
    }
    return await copyBlocks(source, size, holes, staged.handle);
  } catch (error) {
    if (error instanceof TransferError) throw error;
    const writeSide = WRITE_SIDE_ERRORS.has(errnoCode(error) ?? '');
    throw writeSide ? stagingWriteError(rel, 'copy', error) : sourceReadError(rel, 'copy', error);
  }
}

/**
 * Copies `size` bytes block by block, writing only data regions so that holes stay holes, and
 * returns the block hashes.
 */
export async function copyBlocks(
  source: FileHandle,
  size: number,
  holes: HoleDetection,
  staged: FileHandle,
): Promise<Buffer> {
  await staged.truncate(0);
  const hashes = Buffer.allocUnsafe(blockCount(size) * HASH_BYTES);
  await forEachBlock(source, size, holes, async (block) => {
    block.hash.copy(hashes, block.index * HASH_BYTES);
    for (const [start, end] of block.dataRanges) {
      await writeFully(staged, block.data.subarray(start, end), block.offset + start);
    }
  });
  await staged.truncate(size);
  return hashes;
}

/** Writes all of `data` at `position`. */
export async function writeFully(
  handle: FileHandle,
  data: Buffer,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

function readSourceXattrs(source: FileHandle, rel: RelPath): XattrList {
  try {
    return readXattrs(source.fd);
  } catch (error) {
    throw sourceReadError(rel, 'flistxattr', error);
  }
}

export function stagingWriteError(rel: RelPath, operation: string, cause: unknown): TransferError {
  return new TransferError('TARGET_WRITE_FAILED', `Writing the staged copy failed (${operation})`, {
    path: rel,
    operation,
    cause,
  });
}
