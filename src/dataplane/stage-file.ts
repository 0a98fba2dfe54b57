import { constants, type BigIntStats } from 'node:fs';
import { copyFile, open, unlink, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { errnoCode, TransferError } from './errors.js';
import type { EngineHooks } from './hooks.js';
import { toUtimesSeconds } from './mtime.js';
import type { FileCopy } from './plan.js';
import { displayPath, fsPath, relToBuffer, type RelPath } from './rel-path.js';
import {
  copySourcePath,
  lstatSource,
  notRegularFileError,
  openedPathMatches,
  openSourceFile,
  sameFileState,
  sourceReadError,
} from './source-file.js';

/** Copies per file before a source that keeps changing fails the run. */
export const MAX_COPY_ATTEMPTS = 3;

/** errno codes of copyFile that point at the staging side rather than the source. */
const WRITE_SIDE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG', 'EEXIST']);

export interface StageFileContext {
  sourceRoot: Buffer;
  stagingRoot: Buffer;
  logger: Logger;
  hooks: EngineHooks | undefined;
  /** Flush each staged file to disk, so a committed run survives power loss. */
  fsync: boolean;
}

/** Result of staging one file: the bytes copied, or 'vanished' when the source was removed. */
export type StageFileResult = { bytesCopied: number } | 'vanished';

type AttemptResult = { status: 'copied'; stats: BigIntStats } | { status: 'changed' | 'vanished' };

/**
 * Copies one source file into staging and gives the copy the source's mode and times. The source
 * is stat'ed before and after each copy. A copy during which the file changed is discarded and
 * redone, so a torn file is never staged.
 */
export async function stageFile(ctx: StageFileContext, copy: FileCopy): Promise<StageFileResult> {
  const stagedPath = fsPath(ctx.stagingRoot, copy.staged);
  const staged = await createStagedFile(stagedPath, copy.rel);
  let result: StageFileResult | undefined;
  try {
    result = await copyWithRetries(ctx, copy, stagedPath, staged);
  } finally {
    await staged.close();
  }
  if (result === 'vanished') await unlink(stagedPath);
  return result;
}

async function copyWithRetries(
  ctx: StageFileContext,
  copy: FileCopy,
  stagedPath: Buffer,
  staged: FileHandle,
): Promise<StageFileResult> {
  for (let attempt = 1; attempt <= MAX_COPY_ATTEMPTS; attempt++) {
    const result = await copyAttempt(ctx, copy.rel, stagedPath, attempt);
    if (result.status === 'vanished') {
      ctx.logger.warn({ path: displayPath(copy.rel) }, 'Source file vanished before it was copied');
      return 'vanished';
    }
    if (result.status === 'copied') {
      await finishStagedFile(staged, result.stats, copy.rel, ctx.fsync);
      return { bytesCopied: Number(result.stats.size) };
    }
    ctx.logger.warn({ path: displayPath(copy.rel), attempt }, 'Source file changed during copy');
  }
  throw new TransferError(
    'SOURCE_CHANGED',
    `The source file changed during each of ${MAX_COPY_ATTEMPTS} copy attempts`,
    { path: copy.rel, operation: 'copyFile' },
  );
}

/**
 * Creates the staged file before copying, keeping a handle to it: copyFile truncates and refills
 * the same inode, and the handle sets mode, times and fsync whatever mode the copy received.
 */
async function createStagedFile(stagedPath: Buffer, rel: RelPath): Promise<FileHandle> {
  try {
    return await open(stagedPath, 'wx', 0o600);
  } catch (error) {
    throw stagingWriteError(rel, 'open', error);
  }
}

async function copyAttempt(
  ctx: StageFileContext,
  rel: RelPath,
  stagedPath: Buffer,
  attempt: number,
): Promise<AttemptResult> {
  const sourcePath = fsPath(ctx.sourceRoot, rel);
  const before = await lstatSource(sourcePath, rel);
  if (before === undefined) return { status: 'vanished' };
  if (!before.isFile()) throw notRegularFileError(rel);

  const source = await openSourceFile(sourcePath, rel);
  if (source === undefined) return { status: 'vanished' };
  try {
    if (!(await sourceStillMatches(source, sourcePath, before, rel))) return { status: 'changed' };
    await ctx.hooks?.beforeFileCopy?.(relToBuffer(rel), attempt);
    await copyContent(copySourcePath(source, sourcePath), stagedPath, rel);
    return await checkAfterCopy(source, sourcePath, before, rel);
  } finally {
    await source.close();
  }
}

async function sourceStillMatches(
  source: FileHandle,
  sourcePath: Buffer,
  before: BigIntStats,
  rel: RelPath,
): Promise<boolean> {
  const opened = await statHandle(source, rel);
  return sameFileState(before, opened) && (await openedPathMatches(source, sourcePath));
}

async function checkAfterCopy(
  source: FileHandle,
  sourcePath: Buffer,
  before: BigIntStats,
  rel: RelPath,
): Promise<AttemptResult> {
  const afterHandle = await statHandle(source, rel);
  const afterPath = await lstatSource(sourcePath, rel);
  if (afterPath === undefined) return { status: 'vanished' };
  const unchanged = sameFileState(before, afterHandle) && sameFileState(before, afterPath);
  return unchanged ? { status: 'copied', stats: before } : { status: 'changed' };
}

async function copyContent(from: string | Buffer, to: Buffer, rel: RelPath): Promise<void> {
  try {
    await copyFile(from, to, constants.COPYFILE_FICLONE);
  } catch (error) {
    const writeSide = WRITE_SIDE_ERRORS.has(errnoCode(error) ?? '');
    throw writeSide
      ? stagingWriteError(rel, 'copyFile', error)
      : sourceReadError(rel, 'copyFile', error);
  }
}

async function statHandle(handle: FileHandle, rel: RelPath): Promise<BigIntStats> {
  try {
    return await handle.stat({ bigint: true });
  } catch (error) {
    throw sourceReadError(rel, 'fstat', error);
  }
}

async function finishStagedFile(
  staged: FileHandle,
  source: BigIntStats,
  rel: RelPath,
  fsync: boolean,
): Promise<void> {
  try {
    await staged.chmod(Number(source.mode & 0o7777n));
    await staged.utimes(toUtimesSeconds(source.atimeNs), toUtimesSeconds(source.mtimeNs));
    if (fsync) await staged.sync();
  } catch (error) {
    throw stagingWriteError(rel, 'fchmod/futimes/fsync', error);
  }
}

export function stagingWriteError(rel: RelPath, operation: string, cause: unknown): TransferError {
  return new TransferError('TARGET_WRITE_FAILED', `Writing the staged copy failed (${operation})`, {
    path: rel,
    operation,
    cause,
  });
}
