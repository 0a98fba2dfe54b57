import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { TransferError } from './errors.js';
import type { EngineHooks } from './hooks.js';
import { displayPath, fsPath, relToBuffer, type RelPath } from './rel-path.js';
import {
  lstatSource,
  notRegularFileError,
  openedPathMatches,
  openSourceFile,
  sameFileState,
  sourceReadError,
} from './source-file.js';

/** Reads per file before a source that keeps changing fails the run. */
export const MAX_COPY_ATTEMPTS = 3;

export interface SourceReadContext {
  sourceRoot: Buffer;
  logger: Logger;
  hooks: EngineHooks | undefined;
}

/** A read that saw one unchanging state of the file: its stats and what `read` returned. */
export interface ConsistentRead<T> {
  stats: BigIntStats;
  value: T;
}

type AttemptResult<T> =
  { status: 'read'; stats: BigIntStats; value: T } | { status: 'changed' | 'vanished' };

/**
 * Runs `read` on the open source file until one run saw an unchanging file. The file is stat'ed
 * before and after each run (inode, size, mtime and ctime, by handle and by path), so what `read`
 * returns comes from one state of the file. Each run must start over, since the previous one may
 * have seen a torn file. Returns 'vanished' when the file was removed, and throws SOURCE_CHANGED
 * when it changed during each of MAX_COPY_ATTEMPTS runs.
 */
export async function readSourceConsistently<T>(
  ctx: SourceReadContext,
  rel: RelPath,
  read: (source: FileHandle, before: BigIntStats) => Promise<T>,
): Promise<ConsistentRead<T> | 'vanished'> {
  for (let attempt = 1; attempt <= MAX_COPY_ATTEMPTS; attempt++) {
    const result = await readAttempt(ctx, rel, attempt, read);
    if (result.status === 'vanished') {
      ctx.logger.warn({ path: displayPath(rel) }, 'Source file vanished before it was copied');
      return 'vanished';
    }
    if (result.status === 'read') return { stats: result.stats, value: result.value };
    ctx.logger.warn({ path: displayPath(rel), attempt }, 'Source file changed during copy');
  }
  throw new TransferError(
    'SOURCE_CHANGED',
    `The source file changed during each of ${MAX_COPY_ATTEMPTS} copy attempts`,
    { path: rel, operation: 'copyFile' },
  );
}

async function readAttempt<T>(
  ctx: SourceReadContext,
  rel: RelPath,
  attempt: number,
  read: (source: FileHandle, before: BigIntStats) => Promise<T>,
): Promise<AttemptResult<T>> {
  const sourcePath = fsPath(ctx.sourceRoot, rel);
  const before = await lstatSource(sourcePath, rel);
  if (before === undefined) return { status: 'vanished' };
  if (!before.isFile()) throw notRegularFileError(rel);

  const source = await openSourceFile(sourcePath, rel);
  if (source === undefined) return { status: 'vanished' };
  try {
    if (!(await sourceStillMatches(source, sourcePath, before, rel))) return { status: 'changed' };
    await ctx.hooks?.beforeFileCopy?.(relToBuffer(rel), attempt);
    const value = await read(source, before);
    const after = await checkAfterRead(source, sourcePath, before, rel);
    return after === 'unchanged' ? { status: 'read', stats: before, value } : { status: after };
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

async function checkAfterRead(
  source: FileHandle,
  sourcePath: Buffer,
  before: BigIntStats,
  rel: RelPath,
): Promise<'unchanged' | 'changed' | 'vanished'> {
  const afterHandle = await statHandle(source, rel);
  const afterPath = await lstatSource(sourcePath, rel);
  if (afterPath === undefined) return 'vanished';
  const unchanged = sameFileState(before, afterHandle) && sameFileState(before, afterPath);
  return unchanged ? 'unchanged' : 'changed';
}

async function statHandle(handle: FileHandle, rel: RelPath): Promise<BigIntStats> {
  try {
    return await handle.stat({ bigint: true });
  } catch (error) {
    throw sourceReadError(rel, 'fstat', error);
  }
}
