import { chmod, lstat, lutimes, mkdir, rename, unlink, utimes } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { errnoCode, TransferError } from './errors.js';
import type { EngineHooks } from './hooks.js';
import type { JournalOp } from './journal.js';
import { kindOf } from './entry.js';
import { toUtimesSeconds } from './mtime.js';
import { fsPath, parentRel, type RelPath } from './rel-path.js';
import { removeTree } from './remove-tree.js';
import { fsyncDirectory, pathExists, type WorkDirLayout } from './workdir.js';

export interface ApplyContext {
  layout: WorkDirLayout;
  targetRoot: Buffer;
  afterOp?: EngineHooks['afterCommitOp'];
}

/**
 * Applies journal ops to the replica in order and returns the commit window: milliseconds from
 * the start of the first op to the end of the last. Safe to call again on a journal that was
 * partly or fully applied.
 */
export async function applyJournal(ctx: ApplyContext, ops: readonly JournalOp[]): Promise<number> {
  await mkdir(ctx.layout.trash, { recursive: true, mode: 0o700 });
  const started = performance.now();
  for (const [index, op] of ops.entries()) {
    try {
      await applyOp(ctx, op);
    } catch (error) {
      throw commitError(op, error);
    }
    await ctx.afterOp?.(index, op);
  }
  return performance.now() - started;
}

/**
 * Makes the applied changes durable, then deletes the journal, trash and staging. Once the
 * journal is gone a crash leaves only trash or staging, which recovery discards.
 */
export async function finishCommit(ctx: ApplyContext, ops: readonly JournalOp[]): Promise<void> {
  for (const dir of changedDirectories(ctx, ops)) await fsyncDirectory(dir);
  await unlink(ctx.layout.journal);
  await fsyncDirectory(ctx.layout.root);
  await removeTree(ctx.layout.trash);
  await removeTree(ctx.layout.staging);
}

function changedDirectories(ctx: ApplyContext, ops: readonly JournalOp[]): Buffer[] {
  const parents = new Set<RelPath>();
  for (const op of ops) {
    if (op.op === 'trash' || op.op === 'place') parents.add(parentRel(op.path));
  }
  const dirs = [...parents].map((rel) => fsPath(ctx.targetRoot, rel));
  return parents.size > 0 ? [...dirs, ctx.layout.trash] : dirs;
}

async function applyOp(ctx: ApplyContext, op: JournalOp): Promise<void> {
  const target = fsPath(ctx.targetRoot, op.path);
  switch (op.op) {
    case 'unlock':
      return unlockDirectory(target, op.mode);
    case 'trash':
      return moveToTrash(target, trashSlotPath(ctx.layout, op.slot));
    case 'place':
      return placeStaged(fsPath(ctx.layout.staging, op.staged), target);
    case 'meta':
      return setMetadata(target, op);
  }
}

function trashSlotPath(layout: WorkDirLayout, slot: string): Buffer {
  return Buffer.concat([layout.trash, Buffer.from(`/${slot}`)]);
}

async function unlockDirectory(path: Buffer, mode: number): Promise<void> {
  const kind = await kindAt(path);
  if (kind === 'dir') await chmod(path, mode | 0o700);
}

async function moveToTrash(path: Buffer, slot: Buffer): Promise<void> {
  if (await pathExists(slot)) return;
  if ((await kindAt(path)) === undefined) {
    await mkdir(slot, { mode: 0o700 });
    return;
  }
  await rename(path, slot);
}

async function placeStaged(staged: Buffer, path: Buffer): Promise<void> {
  if (!(await pathExists(staged))) return;
  await rename(staged, path);
}

async function setMetadata(path: Buffer, op: Extract<JournalOp, { op: 'meta' }>): Promise<void> {
  const kind = await kindAt(path);
  if (kind !== op.kind) {
    throw new Error(`Expected a ${op.kind} at the replica path but found ${kind ?? 'nothing'}`);
  }
  const atime = toUtimesSeconds(BigInt(op.atimeNs));
  const mtime = toUtimesSeconds(BigInt(op.mtimeNs));
  if (op.kind === 'symlink') {
    await lutimes(path, atime, mtime);
    return;
  }
  await chmod(path, op.mode);
  await utimes(path, atime, mtime);
}

async function kindAt(path: Buffer) {
  try {
    return kindOf(await lstat(path, { bigint: true }));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function commitError(op: JournalOp, cause: unknown): TransferError {
  return new TransferError(
    'TARGET_WRITE_FAILED',
    `Applying the committed '${op.op}' step to the replica failed; recoverReplica completes the commit`,
    { path: op.path, operation: op.op, cause },
  );
}
