import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { applyJournal, finishCommit, type ApplyContext } from './apply-journal.js';
import { asTransferError, throwIfAborted } from './errors.js';
import type { EngineHooks } from './hooks.js';
import { buildJournalOps, writeJournal } from './journal.js';
import type { Plan } from './plan.js';
import { planReplication } from './plan-walk.js';
import { recoverReplica } from './recover.js';
import { displayPath } from './rel-path.js';
import { removeTree } from './remove-tree.js';
import { resolveRunRoots, type RunRoots } from './roots.js';
import { stagePlan, type StagingResult, type TransferProgress } from './staging.js';
import { workDirLayout, type WorkDirLayout } from './workdir.js';

export type { EngineHooks } from './hooks.js';
export type { TransferProgress } from './staging.js';
export { recoverReplica, type RecoveryOutcome } from './recover.js';

/** Special files listed by name in RunStats and the log; the rest are only counted. */
const SKIPPED_SPECIAL_LIMIT = 100;

export interface ReplicateTreeOptions {
  /** Absolute root of the source volume, only read. */
  sourceDir: string;
  /** Absolute root of the replica volume. Its contents are replaced, never the directory itself. */
  targetDir: string;
  /**
   * Private directory of this replication, on the same file system as targetDir and outside every
   * volume. Staging, trash and the commit journal live here. Runs on one workDir must not overlap.
   */
  workDir: string;
  logger: Logger;
  /** Stops the run before its commit point; the replica keeps its last committed version. */
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  hooks?: EngineHooks;
  /**
   * Flush staged files, directories and the journal to disk before the commit point, so that a
   * power loss cannot leave a committed run with missing data. Defaults to true.
   */
  fsync?: boolean;
}

/** Counters of one run. */
export interface RunStats {
  /** Source entries looked at, the root excluded. */
  entriesScanned: number;
  /** Bytes in the source's regular files at scan time: the replica's size after the commit. */
  sourceBytes: number;
  filesCopied: number;
  bytesCopied: number;
  symlinksCopied: number;
  /** Topmost replica entries removed; a removed directory counts once with its contents. */
  entriesDeleted: number;
  /** Existing replica entries whose mode or mtime was changed to match the source. */
  metadataUpdated: number;
  /** Source files removed between the scan and their copy; the next run settles their path. */
  filesVanished: number;
  /** Display paths of skipped devices, sockets and FIFOs, at most 100. */
  skippedSpecial: string[];
  skippedSpecialCount: number;
  durationMs: number;
  /** Milliseconds during which the replica held a mix of old and new entries. */
  commitWindowMs: number;
}

/**
 * Brings the replica to the source's current state: bytes, modes, mtimes, symlinks (never
 * followed), empty directories and deletions. New data is staged in workDir and moved in by a
 * journaled commit, so the replica contains either the previous or the new version after a crash,
 * once recoverReplica has run. Fs failures are thrown as TransferError, errors thrown by hooks as
 * they are. Staging left by a failed run is discarded by the next recoverReplica.
 */
export async function replicateTree(options: ReplicateTreeOptions): Promise<RunStats> {
  const started = performance.now();
  const { sourceDir, targetDir, workDir } = options;
  const roots = await resolveRunRoots({ sourceDir, targetDir, workDir });
  const { logger, signal } = options;
  logger.info(
    { sourceDir: roots.sourceDir, targetDir: roots.targetDir },
    'Replication run started',
  );

  await recoverReplica(roots.workDir, roots.targetDir, logger);
  const plan = await planReplication(
    Buffer.from(roots.sourceDir),
    Buffer.from(roots.targetDir),
    signal,
  );
  logPlan(logger, plan);

  const layout = workDirLayout(roots.workDir);
  const staged = await stagePlan(plan, {
    sourceRoot: Buffer.from(roots.sourceDir),
    stagingRoot: layout.staging,
    logger,
    hooks: options.hooks,
    signal,
    fsync: options.fsync ?? true,
    onProgress: options.onProgress,
  });
  await options.hooks?.beforeCommit?.();
  throwIfAborted(signal);

  const commitWindowMs = await commit(roots, layout, plan, staged, options.hooks);
  await options.hooks?.afterCommit?.();
  const stats = runStats(plan, staged, commitWindowMs, performance.now() - started);
  logger.info({ ...stats, skippedSpecial: undefined }, 'Replication run finished');
  return stats;
}

/** Writes the journal (the commit point), applies it and cleans up; returns the commit window. */
async function commit(
  roots: RunRoots,
  layout: WorkDirLayout,
  plan: Plan,
  staged: StagingResult,
  hooks: EngineHooks | undefined,
): Promise<number> {
  const ops = buildJournalOps(plan, staged.vanished);
  if (ops.length === 0) {
    await removeTree(layout.staging);
    return 0;
  }
  await asTransferError('TARGET_WRITE_FAILED', 'Writing the commit journal failed', 'journal', () =>
    writeJournal(layout, ops),
  );
  const ctx: ApplyContext = {
    layout,
    targetRoot: Buffer.from(roots.targetDir),
    afterOp: hooks?.afterCommitOp,
  };
  const commitWindowMs = await applyJournal(ctx, ops);
  await asTransferError(
    'TARGET_WRITE_FAILED',
    'Cleaning up after the commit failed; recoverReplica completes it',
    'finish commit',
    () => finishCommit(ctx, ops),
  );
  return commitWindowMs;
}

function logPlan(logger: Logger, plan: Plan): void {
  logger.info(
    {
      entriesScanned: plan.entriesScanned,
      filesToCopy: plan.copies.length,
      bytesToCopy: plan.bytesToCopy,
      symlinksToCreate: plan.links.length,
      deletions: plan.deletions.length,
      metadataChanges: plan.metadataChanges,
    },
    'Replication plan ready',
  );
  const shown = plan.skippedSpecial.slice(0, SKIPPED_SPECIAL_LIMIT).map(displayPath);
  for (const path of shown)
    logger.warn({ path }, 'Skipped a special file (device, socket or FIFO)');
  const hidden = plan.skippedSpecial.length - shown.length;
  if (hidden > 0) logger.warn({ count: hidden }, 'Skipped more special files without listing them');
}

function runStats(
  plan: Plan,
  staged: StagingResult,
  commitWindowMs: number,
  durationMs: number,
): RunStats {
  return {
    entriesScanned: plan.entriesScanned,
    sourceBytes: plan.sourceBytes,
    filesCopied: staged.filesCopied,
    bytesCopied: staged.bytesCopied,
    symlinksCopied: staged.symlinksCopied,
    entriesDeleted: plan.deletions.length,
    metadataUpdated: plan.metadataChanges,
    filesVanished: staged.vanished.size,
    skippedSpecial: plan.skippedSpecial.slice(0, SKIPPED_SPECIAL_LIMIT).map(displayPath),
    skippedSpecialCount: plan.skippedSpecial.length,
    durationMs,
    commitWindowMs,
  };
}
