import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { commitRun, dropIndex, type CommitResult } from './commit.js';
import { throwIfAborted, TransferError } from './errors.js';
import type { EngineHooks } from './hooks.js';
import { IndexFormatError } from './index-codec.js';
import { warnIfNativeMissing } from './native.js';
import type { Plan } from './plan.js';
import { planReplication } from './plan-walk.js';
import { recoverReplica } from './recover.js';
import { displayPath } from './rel-path.js';
import { removeTree } from './remove-tree.js';
import { openTrustedIndex } from './index-seal.js';
import { IndexView, ReplicaTreeView } from './replica-view.js';
import { resolveRunRoots } from './roots.js';
import { stagePlan, type StagingResult, type TransferProgress } from './staging.js';
import { workDirLayout, type WorkDirLayout } from './workdir.js';

export type { EngineHooks } from './hooks.js';
export type { TransferProgress } from './staging.js';
export { recoverReplica, type RecoveryOutcome } from './recover.js';

export interface ReplicateTreeOptions {
  /** Absolute root of the source volume, only read. */
  sourceDir: string;
  /** Absolute root of the replica volume. Its contents are replaced, never the directory itself. */
  targetDir: string;
  /**
   * Private directory of this replication, on the same file system as targetDir and outside every
   * volume. Staging, trash, the commit journal and the index of the last committed version live
   * here. Runs on one workDir must not overlap.
   */
  workDir: string;
  logger: Logger;
  /** Stops the run before its commit point; the replica keeps its last committed version. */
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  hooks?: EngineHooks;
  /**
   * Flush staged files, directories, the index and the journal to disk before the commit point,
   * so that a power loss cannot leave a committed run with missing data. Defaults to true.
   */
  fsync?: boolean;
  /**
   * Compare the source with the replica itself (lstat of both trees, as rsync does) instead of
   * with the index of the last committed version, and rebuild the index. Needed only after
   * something other than this engine wrote to the replica. Defaults to false.
   */
  compareReplica?: boolean;
}

/** Counters of one run. */
export interface RunStats {
  /** What the run compared the source with: the index, or the replica itself. */
  planner: 'index' | 'replica';
  /** Source entries looked at, the root excluded. */
  entriesScanned: number;
  /** Bytes in the source's regular files at scan time: the replica's size after the commit. */
  sourceBytes: number;
  /** Files copied whole. */
  filesCopied: number;
  /** Bytes written into staging: whole copies plus the changed blocks of patched files. */
  bytesCopied: number;
  /** Large files updated in place with only their changed blocks. */
  filesPatched: number;
  /** Bytes written into replica files in place by those patches. */
  bytesPatched: number;
  /** Hard links created to give a path the inode of another path with the same source inode. */
  hardLinksCreated: number;
  symlinksCopied: number;
  /** Topmost replica entries removed; a removed directory counts once with its contents. */
  entriesDeleted: number;
  /** Existing replica entries whose metadata was changed to match the source. */
  metadataUpdated: number;
  /** Source files removed between the scan and their copy; the next run settles their path. */
  filesVanished: number;
  /** Display paths of skipped devices, sockets and FIFOs, at most 100. */
  skippedSpecial: string[];
  skippedSpecialCount: number;
  durationMs: number;
  /**
   * Milliseconds during which the replica held a mix of old and new entries or bytes: the
   * journal's renames, metadata changes and in-place block writes.
   */
  commitWindowMs: number;
}

/** The run's directories as byte paths. */
interface RunPaths {
  sourceRoot: Buffer;
  targetRoot: Buffer;
  layout: WorkDirLayout;
}

/**
 * Brings the replica to the source's current state: bytes (holes kept), owners when running as
 * root, modes, nanosecond mtimes, user.* attributes, hard links, symlinks (never followed), empty
 * directories and deletions. The source is compared with the index of the last committed
 * version, so the replica is not read, or with the replica itself when there is no trusted
 * index. New data is staged in workDir and moved in by a journaled commit, so the replica
 * contains either the previous or the new version after a crash, once recoverReplica has run.
 * Fs failures are thrown as TransferError, errors thrown by hooks as they are. Staging left by a
 * failed run is discarded by the next recoverReplica.
 */
export async function replicateTree(options: ReplicateTreeOptions): Promise<RunStats> {
  const started = performance.now();
  const { sourceDir, targetDir, workDir } = options;
  const roots = await resolveRunRoots({ sourceDir, targetDir, workDir });
  const { logger } = options;
  logger.info(
    { sourceDir: roots.sourceDir, targetDir: roots.targetDir },
    'Replication run started',
  );
  warnIfNativeMissing(logger);

  await recoverReplica(roots.workDir, roots.targetDir, logger);
  const paths: RunPaths = {
    sourceRoot: Buffer.from(roots.sourceDir),
    targetRoot: Buffer.from(roots.targetDir),
    layout: workDirLayout(roots.workDir),
  };
  try {
    const stats = await planStageCommit(options, paths);
    stats.durationMs = performance.now() - started;
    logger.info({ ...stats, skippedSpecial: undefined }, 'Replication run finished');
    return stats;
  } catch (error) {
    if (error instanceof TransferError && error.code === 'TARGET_CHANGED') {
      logger.warn({ err: error }, 'The replica changed outside this engine; dropping its index');
      await dropIndex(paths.layout);
    }
    throw error;
  }
}

async function planStageCommit(options: ReplicateTreeOptions, paths: RunPaths): Promise<RunStats> {
  const { logger, signal } = options;
  const fsync = options.fsync ?? true;
  const { plan, baseDigest } = await planRun(options, paths);
  logPlan(logger, plan);
  const staged = await stagePlan(plan, {
    sourceRoot: paths.sourceRoot,
    targetRoot: paths.targetRoot,
    layout: paths.layout,
    logger,
    hooks: options.hooks,
    signal,
    fsync,
    onProgress: options.onProgress,
  });
  await options.hooks?.beforeCommit?.();
  throwIfAborted(signal);
  const commitOptions = { ...paths, logger, hooks: options.hooks, fsync, baseDigest };
  const committed = await commitRun(commitOptions, plan, staged);
  await options.hooks?.afterCommit?.();
  return runStats(plan, staged, committed);
}

/**
 * Plans against the trusted index when there is one, else against the replica. An index that
 * turns out not to match the tree it lists is dropped, and planning starts over on the replica.
 */
async function planRun(
  options: ReplicateTreeOptions,
  paths: RunPaths,
): Promise<{ plan: Plan; baseDigest?: string }> {
  const { layout, sourceRoot, targetRoot } = paths;
  const context = { sourceRoot, layout, signal: options.signal };
  const check = options.compareReplica
    ? { reason: 'compareReplica is set' }
    : await openTrustedIndex(layout, targetRoot);
  if ('reader' in check) {
    try {
      const plan = await planReplication({ ...context, view: new IndexView(check.reader) });
      return { plan, baseDigest: check.digest };
    } catch (error) {
      if (!(error instanceof IndexFormatError)) throw error;
      options.logger.warn({ err: error }, 'The index is damaged; comparing against the replica');
      await removeTree(layout.plan);
      await dropIndex(layout);
    } finally {
      await check.reader.close();
    }
  } else {
    options.logger.info(
      { reason: check.reason },
      'Comparing against the replica instead of the index',
    );
  }
  return { plan: await planReplication({ ...context, view: new ReplicaTreeView(targetRoot) }) };
}

function logPlan(logger: Logger, plan: Plan): void {
  const { counters } = plan;
  logger.info(
    {
      entriesScanned: counters.entriesScanned,
      filesToStage: counters.filesToStage,
      bytesToStage: counters.bytesToStage,
      hardLinks: counters.hardLinks,
      symlinksToCreate: plan.symlinks.count,
      deletions: counters.deletions,
      metadataChanges: counters.metadataChanges,
    },
    'Replication plan ready',
  );
  for (const rel of plan.skippedSpecial) {
    logger.warn({ path: displayPath(rel) }, 'Skipped a special file (device, socket or FIFO)');
  }
  const hidden = counters.skippedSpecialCount - plan.skippedSpecial.length;
  if (hidden > 0) logger.warn({ count: hidden }, 'Skipped more special files without listing them');
}

function runStats(plan: Plan, staged: StagingResult, committed: CommitResult): RunStats {
  return {
    planner: plan.planner,
    entriesScanned: plan.counters.entriesScanned,
    sourceBytes: plan.counters.sourceBytes,
    filesCopied: staged.filesCopied,
    bytesCopied: staged.bytesCopied + staged.deltaBytes,
    filesPatched: staged.filesPatched,
    bytesPatched: committed.bytesPatched,
    hardLinksCreated: staged.hardLinksCreated,
    symlinksCopied: staged.symlinksCopied,
    entriesDeleted: plan.counters.deletions,
    metadataUpdated: plan.counters.metadataChanges + staged.metadataUpdated,
    filesVanished: staged.filesVanished,
    skippedSpecial: plan.skippedSpecial.map(displayPath),
    skippedSpecialCount: plan.counters.skippedSpecialCount,
    durationMs: 0,
    commitWindowMs: committed.commitWindowMs,
  };
}
