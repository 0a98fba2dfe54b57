import { rename } from 'node:fs/promises';
import type { Logger } from 'pino';
import { applyContext, applyJournal, finishCommit } from './apply-journal.js';
import { asTransferError, TransferError } from './errors.js';
import type { EngineHooks } from './hooks.js';
import { buildIndex } from './index-build.js';
import { readJournalOps, writeJournal } from './journal.js';
import type { Plan } from './plan.js';
import { removeTree } from './remove-tree.js';
import { writeSeal } from './index-seal.js';
import type { StagingResult } from './staging.js';
import { fsyncDirectory, planFile, type WorkDirLayout } from './workdir.js';

export interface CommitOptions {
  layout: WorkDirLayout;
  targetRoot: Buffer;
  logger: Logger;
  hooks: EngineHooks | undefined;
  fsync: boolean;
  /** Digest of the index the plan was made from, when it was made from the index. */
  baseDigest: string | undefined;
}

export interface CommitResult {
  /** Milliseconds during which the replica held a mix of old and new entries or bytes. */
  commitWindowMs: number;
  /** Bytes written into replica files in place. */
  bytesPatched: number;
}

/**
 * Writes the index of the new version, then the journal (the commit point), applies it and
 * cleans up. A run that changes nothing in the replica swaps the index by one rename instead,
 * since both indexes describe the same replica, and a run that changes nothing at all keeps it. The seal comes last, so a crash before it only
 * costs the next run a comparison against the replica.
 */
export async function commitRun(
  options: CommitOptions,
  plan: Plan,
  staged: StagingResult,
): Promise<CommitResult> {
  const { layout, targetRoot } = options;
  if (plan.changesNothing(options.baseDigest)) {
    await removeTree(layout.staging);
    await removeTree(layout.plan);
    return { commitWindowMs: 0, bytesPatched: 0 };
  }
  const digest = await asTransferError(
    'TARGET_WRITE_FAILED',
    'Writing the index failed',
    'index',
    () =>
      buildIndex(
        planFile(layout, 'index'),
        layout.indexNext,
        staged.fileResults,
        staged.linkResults,
        options.fsync,
      ),
  );
  if (plan.replicaOpCount === 0) {
    await swapIndex(layout, options.fsync);
    await sealIndex(options, digest);
    return { commitWindowMs: 0, bytesPatched: 0 };
  }
  await asTransferError('TARGET_WRITE_FAILED', 'Writing the commit journal failed', 'journal', () =>
    writeJournal(layout, [...plan.journalGroups, [{ op: 'index', sha256: digest }]]),
  );
  const ctx = applyContext(layout, targetRoot, { logger: options.logger, hooks: options.hooks });
  const commitWindowMs = await applyJournal(ctx, readJournalOps(layout));
  await asTransferError(
    'TARGET_WRITE_FAILED',
    'Cleaning up after the commit failed; recoverReplica completes it',
    'finish commit',
    () => finishCommit(ctx),
  );
  if (ctx.replicaDiffered) throw replicaChangedError();
  await sealIndex(options, digest);
  return { commitWindowMs, bytesPatched: ctx.counters.bytesPatched };
}

async function swapIndex(layout: WorkDirLayout, fsync: boolean): Promise<void> {
  await asTransferError('TARGET_WRITE_FAILED', 'Replacing the index failed', 'index', async () => {
    await rename(layout.indexNext, layout.index);
    if (fsync) await fsyncDirectory(layout.root);
    await removeTree(layout.staging);
    await removeTree(layout.plan);
  });
}

/** Writes the seal; a failure is logged, and the next run compares against the replica. */
export async function sealIndex(
  options: Pick<CommitOptions, 'layout' | 'targetRoot' | 'logger' | 'fsync'>,
  digest: string,
): Promise<void> {
  try {
    await writeSeal(options.layout, digest, options.targetRoot, options.fsync);
  } catch (error) {
    options.logger.warn(
      { err: error, workDir: options.layout.root.toString() },
      'Writing the index seal failed; the next run compares against the replica',
    );
  }
}

function replicaChangedError(): TransferError {
  return new TransferError(
    'TARGET_CHANGED',
    'The commit found replica entries unlike its last committed version and skipped them; ' +
      'the next run compares against the replica and repairs it',
  );
}

/** Deletes the index, so that the next run compares against the replica and rebuilds it. */
export async function dropIndex(layout: WorkDirLayout): Promise<void> {
  for (const path of [layout.seal, layout.indexNext, layout.index]) await removeTree(path);
}
