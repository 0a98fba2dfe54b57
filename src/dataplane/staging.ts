import { constants } from 'node:fs';
import { mkdir, open, symlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { EngineHooks } from './hooks.js';
import type { JournalOp } from './journal.js';
import { nativeBinding } from './native.js';
import { runOrdered } from './ordered-pool.js';
import { setHandleOwner, setPathOwner } from './ownership.js';
import {
  metaOpFor,
  type FileTask,
  type LinkTask,
  type Plan,
  type StagedDir,
  type SymlinkTask,
} from './plan.js';
import { RecordLog } from './record-log.js';
import { fsPath, type RelPath } from './rel-path.js';
import { factsOf, type FileResultRecord, type LinkResultRecord } from './stage-results.js';
import { stagingWriteError } from './stage-file.js';
import {
  metaSourceOf,
  runFileTask,
  runLinkTask,
  type FileStatus,
  type StagedOutcome,
  type TaskContext,
  type TaskOutcome,
} from './stage-tasks.js';
import { setHandleTimes, setPathTimes } from './times.js';
import { fsyncDirectory, planFile, type WorkDirLayout } from './workdir.js';
import { decodeXattrs, writeXattrs, xattrsSupported } from './xattrs.js';

/**
 * Concurrent copies. libuv runs file operations on a pool of 4 threads by default
 * (UV_THREADPOOL_SIZE), so more would only queue.
 */
const COPY_CONCURRENCY = 4;

/** Finished tasks that may wait for a slower earlier one before their results are written. */
const RESULT_WINDOW = 1024;

/** Files and bytes staged so far, out of the plan's totals. */
export interface TransferProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface StagingOptions {
  sourceRoot: Buffer;
  targetRoot: Buffer;
  layout: WorkDirLayout;
  logger: Logger;
  hooks: EngineHooks | undefined;
  signal: AbortSignal | undefined;
  fsync: boolean;
  onProgress: ((progress: TransferProgress) => void) | undefined;
}

/** Counters of staging, and the result lists the index build reads. */
export interface StagingResult {
  filesCopied: number;
  bytesCopied: number;
  filesPatched: number;
  /** Bytes of changed blocks staged in delta files. */
  deltaBytes: number;
  symlinksCopied: number;
  hardLinksCreated: number;
  /** Files found equal to the replica's content, whose metadata is updated instead. */
  metadataUpdated: number;
  filesVanished: number;
  fileResults: RecordLog<FileResultRecord>;
  linkResults: RecordLog<LinkResultRecord>;
}

/**
 * Builds everything the plan adds in the staging directory (new directory trees, file copies,
 * delta files, hard links and symlinks, each with the source's metadata) and appends the journal
 * ops that depend on what staging found. Writes nothing outside the work directory.
 */
export async function stagePlan(plan: Plan, options: StagingOptions): Promise<StagingResult> {
  const stagingRoot = options.layout.staging;
  await createStagingRoot(stagingRoot);
  const ctx = taskContext(options);
  const result = emptyResult(options.layout);
  for await (const dir of plan.stagedDirs.read()) await createStagedDir(dir, stagingRoot);
  const leaders = await stageFiles(plan, ctx, options, result);
  await stageLinks(plan, ctx, options, result, leaders);
  await runOrdered(
    plan.symlinks.read(),
    poolOptions(options),
    (task) => stageSymlink(task, stagingRoot),
    noEmit,
  );
  result.symlinksCopied = plan.symlinks.count;
  for await (const dir of plan.finishedDirs.read())
    await finishStagedDir(dir, stagingRoot, ctx.fsync);
  if (options.fsync) await flushStaging(stagingRoot);
  for (const list of [
    result.fileResults,
    result.linkResults,
    plan.places,
    plan.patches,
    plan.entryMeta,
  ]) {
    await list.close();
  }
  return result;
}

function taskContext(options: StagingOptions): TaskContext {
  return {
    sourceRoot: options.sourceRoot,
    targetRoot: options.targetRoot,
    stagingRoot: options.layout.staging,
    logger: options.logger,
    hooks: options.hooks,
    // With the addon one syncfs at the end flushes everything (see flushStaging).
    fsync: options.fsync && nativeBinding() === undefined,
    hashBlocks: true,
  };
}

function emptyResult(layout: WorkDirLayout): StagingResult {
  return {
    filesCopied: 0,
    bytesCopied: 0,
    filesPatched: 0,
    deltaBytes: 0,
    symlinksCopied: 0,
    hardLinksCreated: 0,
    metadataUpdated: 0,
    filesVanished: 0,
    fileResults: new RecordLog(planFile(layout, 'file-results')),
    linkResults: new RecordLog(planFile(layout, 'link-results')),
  };
}

function poolOptions(options: StagingOptions) {
  return { concurrency: COPY_CONCURRENCY, window: RESULT_WINDOW, signal: options.signal };
}

async function noEmit(): Promise<void> {}

async function createStagingRoot(stagingRoot: Buffer): Promise<void> {
  try {
    await mkdir(stagingRoot, { mode: 0o700 });
  } catch (error) {
    throw stagingWriteError('', 'mkdir staging', error);
  }
}

/** Creates a staged directory owner-writable; its real metadata is set once it is filled. */
async function createStagedDir(dir: StagedDir, stagingRoot: Buffer): Promise<void> {
  try {
    await mkdir(fsPath(stagingRoot, dir.staged), { mode: 0o700 });
  } catch (error) {
    throw stagingWriteError(dir.rel, 'mkdir', error);
  }
}

/**
 * Runs the file tasks and records their results in task order, with the journal ops each
 * outcome needs. Returns the outcomes of hard link leaders, which the link tasks depend on.
 */
async function stageFiles(
  plan: Plan,
  ctx: TaskContext,
  options: StagingOptions,
  result: StagingResult,
): Promise<Map<number, FileStatus>> {
  const leaders = new Map<number, FileStatus>();
  const progress: TransferProgress = {
    filesDone: 0,
    filesTotal: plan.counters.filesToStage,
    bytesDone: 0,
    bytesTotal: plan.counters.bytesToStage,
  };
  const emit = async (outcome: TaskOutcome, task: FileTask) => {
    await recordFileOutcome(plan, task, outcome, result);
    if (plan.leaderSeqs.has(task.seq)) leaders.set(task.seq, outcome.status);
    progress.filesDone++;
    progress.bytesDone += outcome.status === 'vanished' ? 0 : Number(outcome.stats.size);
    options.onProgress?.({ ...progress });
  };
  await runOrdered(plan.tasks.read(), poolOptions(options), (task) => runFileTask(ctx, task), emit);
  return leaders;
}

async function recordFileOutcome(
  plan: Plan,
  task: FileTask,
  outcome: TaskOutcome,
  result: StagingResult,
): Promise<void> {
  if (outcome.status === 'vanished') {
    result.filesVanished++;
    await result.fileResults.append({ seq: task.seq, status: 'vanished' });
    return;
  }
  const facts = factsOf(outcome.stats, outcome.hashes, outcome.xattrs);
  await result.fileResults.append({ seq: task.seq, status: outcome.status, facts });
  if (outcome.status === 'copied') {
    result.filesCopied++;
    result.bytesCopied += outcome.bytesStaged;
    if (task.place) await plan.places.append({ op: 'place', staged: task.staged, path: task.rel });
    return;
  }
  if (outcome.status === 'patched') {
    result.filesPatched++;
    result.deltaBytes += outcome.bytesStaged;
    const size = Number(outcome.stats.size);
    await plan.patches.append({ op: 'patch', path: task.rel, delta: task.delta as RelPath, size });
  } else {
    result.metadataUpdated++;
  }
  await plan.entryMeta.append(fileMetaOp(task, outcome));
}

/** The meta op for a file whose replica inode stays: the source's metadata from the read. */
function fileMetaOp(task: FileTask, outcome: StagedOutcome): JournalOp {
  const xattrs = xattrsSupported() ? outcome.xattrs : undefined;
  return metaOpFor(task.rel, 'file', metaSourceOf(outcome.stats), xattrs);
}

async function stageLinks(
  plan: Plan,
  ctx: TaskContext,
  options: StagingOptions,
  result: StagingResult,
  leaders: Map<number, FileStatus>,
): Promise<void> {
  const work = (task: LinkTask) =>
    runLinkTask(ctx, task, task.leaderSeq === undefined ? undefined : leaders.get(task.leaderSeq));
  const emit = async (status: LinkResultRecord['status'], task: LinkTask) => {
    await result.linkResults.append({ seq: task.seq, status });
    if (status !== 'linked') return;
    result.hardLinksCreated++;
    if (task.place) await plan.places.append({ op: 'place', staged: task.staged, path: task.rel });
  };
  await runOrdered(plan.links.read(), poolOptions(options), work, emit);
}

async function stageSymlink(task: SymlinkTask, stagingRoot: Buffer): Promise<void> {
  const path = fsPath(stagingRoot, task.staged);
  try {
    await symlink(Buffer.from(task.target, 'latin1'), path);
    await setPathOwner(path, task.uid, task.gid);
    await setPathTimes(path, BigInt(task.atimeNs), BigInt(task.mtimeNs), true);
  } catch (error) {
    throw stagingWriteError(task.rel, 'symlink', error);
  }
}

/**
 * Gives a staged directory inside a new tree its source metadata. Directories come children
 * first, so no later change inside moves a parent's mtime. Tree roots stay owner-writable,
 * because renaming a directory to a new parent updates its '..' entry; the commit sets their
 * metadata.
 */
async function finishStagedDir(dir: StagedDir, stagingRoot: Buffer, fsync: boolean): Promise<void> {
  try {
    const handle = await open(
      fsPath(stagingRoot, dir.staged),
      constants.O_RDONLY | constants.O_DIRECTORY,
    );
    try {
      if (!dir.isTreeRoot) {
        await setHandleOwner(handle, dir.uid, dir.gid);
        await handle.chmod(dir.mode);
        if (dir.xattrs !== undefined) writeXattrs(handle.fd, decodeXattrs(dir.xattrs));
        await setHandleTimes(handle, BigInt(dir.atimeNs), BigInt(dir.mtimeNs));
      }
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw stagingWriteError(dir.rel, 'directory metadata', error);
  }
}

/**
 * Makes everything staged durable before the commit point: one syncfs of the file system with
 * the addon. Without it each file and directory was flushed as it was staged, and only the
 * staging root is flushed here.
 * NOTE: syncfs also writes out other programs' dirty data on the same file system (other
 * volumes of the region), so on a busy file system it may take longer than per-file fsync.
 */
async function flushStaging(stagingRoot: Buffer): Promise<void> {
  const native = nativeBinding();
  try {
    if (native === undefined) {
      await fsyncDirectory(stagingRoot);
      return;
    }
    const handle = await open(stagingRoot, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      native.syncfs(handle.fd);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw stagingWriteError('', 'sync staging', error);
  }
}
