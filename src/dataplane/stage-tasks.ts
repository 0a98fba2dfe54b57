import type { BigIntStats } from 'node:fs';
import { link } from 'node:fs/promises';
import { errnoCode, TransferError } from './errors.js';
import type { MetaSource } from './plan.js';
import type { FileTask, LinkTask } from './plan.js';
import { fsPath } from './rel-path.js';
import { hashReplicaFile, stageDelta, type DeltaContext } from './stage-delta.js';
import {
  discardStagedFile,
  finishStagedFile,
  stageFileContent,
  stagingWriteError,
  type StageFileContext,
} from './stage-file.js';
import type { XattrList } from './xattrs.js';

export interface TaskContext extends StageFileContext, DeltaContext {
  targetRoot: Buffer;
}

/**
 * What staging did with a file task: 'copied' staged a full copy, 'same' found the replica's
 * content equal (only metadata may differ), 'patched' staged a delta file, 'vanished' found the
 * source file gone.
 */
export type FileStatus = 'copied' | 'same' | 'patched' | 'vanished';

export type TaskOutcome = StagedOutcome | { status: 'vanished' };

export interface StagedOutcome {
  status: Exclude<FileStatus, 'vanished'>;
  /** The source's stats from before the read that succeeded. */
  stats: BigIntStats;
  hashes: Buffer | undefined;
  xattrs: XattrList;
  /** Bytes written into staging: the copy, or the changed blocks of a delta. */
  bytesStaged: number;
}

/**
 * Stages one file task. A task with a delta name compares the source's blocks with the base and
 * stages the changed ones, unless more than half changed. Then, as for every other task, the
 * file is copied whole. A copy whose hashes equal the base is dropped again as 'same'.
 */
export async function runFileTask(ctx: TaskContext, task: FileTask): Promise<TaskOutcome> {
  if (task.delta !== undefined) {
    const base = await baseHashes(ctx, task);
    const delta = await stageDelta(ctx, task.rel, task.delta, base);
    if (delta === 'vanished') return { status: 'vanished' };
    if (delta !== 'too-many-changes') return { ...delta, bytesStaged: delta.deltaBytes };
  }
  const content = await stageFileContent(ctx, task);
  if (content === 'vanished') return { status: 'vanished' };
  const { stats, hashes, xattrs, bytesCopied } = content.copy;
  if (task.delta === undefined && task.baseHashes !== undefined && hashes !== undefined) {
    if (hashes.equals(Buffer.from(task.baseHashes, 'base64'))) {
      await discardStagedFile(content);
      return { status: 'same', stats, hashes, xattrs, bytesStaged: 0 };
    }
  }
  await finishStagedFile(content, task.rel, ctx.fsync);
  return { status: 'copied', stats, hashes, xattrs, bytesStaged: bytesCopied };
}

async function baseHashes(ctx: TaskContext, task: FileTask): Promise<Buffer> {
  if (task.baseHashes !== undefined) return Buffer.from(task.baseHashes, 'base64');
  return hashReplicaFile(ctx.targetRoot, task.rel);
}

/** What staging did with a link task: made a new hard link, kept the replica's, or neither. */
export type LinkStatus = 'linked' | 'kept' | 'vanished';

/**
 * Stages one hard link: a link in staging to the leader's staged copy, or to the leader's
 * replica file when the leader keeps its inode. Nothing is needed when the replica already links
 * the path to a leader that keeps its inode. A leader that vanished leaves the path unstaged.
 */
export async function runLinkTask(
  ctx: TaskContext,
  task: LinkTask,
  leaderStatus: FileStatus | undefined,
): Promise<LinkStatus> {
  if (leaderStatus === 'vanished') return 'vanished';
  const leaderCopied = leaderStatus === 'copied';
  if (task.linked && !leaderCopied) return 'kept';
  const from = leaderCopied
    ? fsPath(ctx.stagingRoot, task.leaderStaged as string)
    : fsPath(ctx.targetRoot, task.leaderRel);
  try {
    await link(from, fsPath(ctx.stagingRoot, task.staged));
  } catch (error) {
    throw linkError(task, leaderCopied, error);
  }
  return 'linked';
}

function linkError(task: LinkTask, leaderCopied: boolean, cause: unknown): TransferError {
  if (!leaderCopied && errnoCode(cause) === 'ENOENT') {
    return new TransferError(
      'TARGET_CHANGED',
      'The replica has no file where the last committed version has the hard link leader',
      { path: task.leaderRel, operation: 'link', cause },
    );
  }
  return stagingWriteError(task.rel, 'link', cause);
}

/** Returns the metadata a meta op sets, from a source file's stats. */
export function metaSourceOf(stats: BigIntStats): MetaSource {
  return {
    mode: Number(stats.mode & 0o7777n),
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    atimeNs: stats.atimeNs,
    mtimeNs: stats.mtimeNs,
  };
}
