import { chmod, lstat, mkdir, rename, unlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { kindOf } from './entry.js';
import { errnoCode, TransferError } from './errors.js';
import { HookFailure, type EngineHooks } from './hooks.js';
import type { JournalOp, MetaOp } from './journal.js';
import { setPathOwner } from './ownership.js';
import { applyPatch, type PatchCounters } from './patch.js';
import { displayPath, fsPath, parentRel, type RelPath } from './rel-path.js';
import { removeTree } from './remove-tree.js';
import { setPathTimes } from './times.js';
import { fsyncDirectory, pathExists, type WorkDirLayout } from './workdir.js';
import { decodeXattrs, writeXattrs } from './xattrs.js';

/** State of one application of a journal. */
export interface ApplyContext {
  layout: WorkDirLayout;
  targetRoot: Buffer;
  logger: Logger | undefined;
  hooks: Pick<EngineHooks, 'afterCommitOp' | 'afterPatchWrite'> | undefined;
  counters: PatchCounters;
  /** Replica directories whose entries the journal changes, flushed by finishCommit. */
  changedDirs: Set<RelPath>;
  /**
   * Set when an op found the replica unlike the journal expects (another program wrote to it).
   * The op is skipped and the index of the new version is dropped instead of made current, so
   * that the next run compares against the replica itself.
   */
  replicaDiffered: boolean;
  /** Digest of the index the journal made current, if it has an index op. */
  indexDigest: string | undefined;
}

export function applyContext(
  layout: WorkDirLayout,
  targetRoot: Buffer,
  options: { logger?: Logger; hooks?: ApplyContext['hooks'] } = {},
): ApplyContext {
  return {
    layout,
    targetRoot,
    logger: options.logger,
    hooks: options.hooks,
    counters: { bytesPatched: 0 },
    changedDirs: new Set(),
    replicaDiffered: false,
    indexDigest: undefined,
  };
}

/**
 * Applies journal ops to the replica in order and returns the commit window: milliseconds from
 * the start of the first op to the end of the last, block patches included. Safe to call again
 * on a journal that was partly or fully applied.
 */
export async function applyJournal(
  ctx: ApplyContext,
  ops: AsyncIterable<JournalOp> | Iterable<JournalOp>,
): Promise<number> {
  await mkdir(ctx.layout.trash, { recursive: true, mode: 0o700 });
  const started = performance.now();
  let index = 0;
  for await (const op of ops) {
    try {
      await applyOp(ctx, op);
    } catch (error) {
      if (error instanceof HookFailure) throw error.error;
      throw commitError(op, error);
    }
    await ctx.hooks?.afterCommitOp?.(index++, op);
  }
  return performance.now() - started;
}

/**
 * Makes the applied changes durable, then deletes the journal, trash, staging and plan. Once the
 * journal is gone a crash leaves only leftovers that recovery discards.
 */
export async function finishCommit(ctx: ApplyContext): Promise<void> {
  for (const rel of ctx.changedDirs) await fsyncDirectory(fsPath(ctx.targetRoot, rel));
  if (ctx.changedDirs.size > 0) await fsyncDirectory(ctx.layout.trash);
  await unlink(ctx.layout.journal);
  await fsyncDirectory(ctx.layout.root);
  await removeTree(ctx.layout.trash);
  await removeTree(ctx.layout.staging);
  await removeTree(ctx.layout.plan);
}

async function applyOp(ctx: ApplyContext, op: JournalOp): Promise<void> {
  if (op.op === 'index') return makeIndexCurrent(ctx, op.sha256);
  const target = fsPath(ctx.targetRoot, op.path);
  switch (op.op) {
    case 'unlock':
      return unlockDirectory(target, op.mode);
    case 'trash':
      ctx.changedDirs.add(parentRel(op.path));
      return moveToTrash(target, trashSlotPath(ctx.layout, op.slot));
    case 'place':
      ctx.changedDirs.add(parentRel(op.path));
      return placeStaged(fsPath(ctx.layout.staging, op.staged), target);
    case 'patch':
      return patchFile(ctx, target, op);
    case 'meta':
      return setMetadata(ctx, target, op);
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

async function patchFile(
  ctx: ApplyContext,
  target: Buffer,
  op: Extract<JournalOp, { op: 'patch' }>,
): Promise<void> {
  const delta = fsPath(ctx.layout.staging, op.delta);
  const applied = await applyPatch(
    target,
    delta,
    op.size,
    op.path,
    ctx.counters,
    ctx.hooks?.afterPatchWrite,
  );
  if (!applied) replicaDiffers(ctx, op.path, 'no regular file to patch');
}

async function setMetadata(ctx: ApplyContext, path: Buffer, op: MetaOp): Promise<void> {
  const kind = await kindAt(path);
  if (kind !== op.kind) {
    replicaDiffers(ctx, op.path, `expected a ${op.kind} but found ${kind ?? 'nothing'}`);
    return;
  }
  if (op.uid !== undefined && op.gid !== undefined) await setPathOwner(path, op.uid, op.gid);
  if (op.kind !== 'symlink') await chmod(path, op.mode);
  if (op.xattrs !== undefined && op.kind !== 'symlink') writeXattrs(path, decodeXattrs(op.xattrs));
  await setPathTimes(path, BigInt(op.atimeNs), BigInt(op.mtimeNs), op.kind === 'symlink');
}

/** Makes index.next the current index, or drops both when the replica differed. */
async function makeIndexCurrent(ctx: ApplyContext, digest: string): Promise<void> {
  ctx.indexDigest = digest;
  const { index, indexNext, seal } = ctx.layout;
  if (ctx.replicaDiffered) {
    for (const path of [seal, indexNext, index]) await removeTree(path);
    return;
  }
  if (await pathExists(indexNext)) await rename(indexNext, index);
}

function replicaDiffers(ctx: ApplyContext, rel: RelPath, detail: string): void {
  ctx.replicaDiffered = true;
  ctx.logger?.warn(
    { path: displayPath(rel), detail },
    'The replica differs from its last committed version; skipping this step and dropping the index',
  );
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
    { path: op.op === 'index' ? undefined : op.path, operation: op.op, cause },
  );
}
