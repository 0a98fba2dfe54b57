import { constants } from 'node:fs';
import { lutimes, mkdir, open, symlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { EngineHooks } from './hooks.js';
import { toUtimesSeconds } from './mtime.js';
import type { LinkCopy, Plan, StagedDir } from './plan.js';
import { runPool } from './pool.js';
import { fsPath, relDepth, type RelPath } from './rel-path.js';
import { stageFile, stagingWriteError } from './stage-file.js';
import { fsyncDirectory } from './workdir.js';

/**
 * Concurrent copies. libuv runs file operations on a pool of 4 threads by default
 * (UV_THREADPOOL_SIZE), so more would only queue.
 */
const COPY_CONCURRENCY = 4;

/** Files and bytes staged so far, out of the plan's totals. */
export interface TransferProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface StagingOptions {
  sourceRoot: Buffer;
  stagingRoot: Buffer;
  logger: Logger;
  hooks: EngineHooks | undefined;
  signal: AbortSignal | undefined;
  fsync: boolean;
  onProgress: ((progress: TransferProgress) => void) | undefined;
}

export interface StagingResult {
  filesCopied: number;
  bytesCopied: number;
  symlinksCopied: number;
  /** Staged names of source files removed before they could be copied. */
  vanished: Set<RelPath>;
}

/**
 * Builds everything the plan adds in the staging directory: new directory trees, file copies and
 * symlinks, each with the source's mode and times. Writes nothing outside staging.
 */
export async function stagePlan(plan: Plan, options: StagingOptions): Promise<StagingResult> {
  await createStagingRoot(options.stagingRoot);
  await createStagedDirs(plan.stagedDirs, options.stagingRoot);
  const result = await copyFiles(plan, options);
  await runPool(plan.links, COPY_CONCURRENCY, options.signal, (link) =>
    stageSymlink(link, options.stagingRoot),
  );
  result.symlinksCopied = plan.links.length;
  await finishStagedDirs(plan.stagedDirs, options);
  if (options.fsync) await fsyncStagingRoot(options.stagingRoot);
  return result;
}

async function createStagingRoot(stagingRoot: Buffer): Promise<void> {
  try {
    await mkdir(stagingRoot, { mode: 0o700 });
  } catch (error) {
    throw stagingWriteError('', 'mkdir staging', error);
  }
}

async function fsyncStagingRoot(stagingRoot: Buffer): Promise<void> {
  try {
    await fsyncDirectory(stagingRoot);
  } catch (error) {
    throw stagingWriteError('', 'fsync staging', error);
  }
}

/** Creates staged directories owner-writable; their real modes are set once they are filled. */
async function createStagedDirs(dirs: readonly StagedDir[], stagingRoot: Buffer): Promise<void> {
  for (const dir of dirs) {
    try {
      await mkdir(fsPath(stagingRoot, dir.staged), { mode: 0o700 });
    } catch (error) {
      throw stagingWriteError(dir.rel, 'mkdir', error);
    }
  }
}

async function copyFiles(plan: Plan, options: StagingOptions): Promise<StagingResult> {
  const result: StagingResult = {
    filesCopied: 0,
    bytesCopied: 0,
    symlinksCopied: 0,
    vanished: new Set(),
  };
  const progress: TransferProgress = {
    filesDone: 0,
    filesTotal: plan.copies.length,
    bytesDone: 0,
    bytesTotal: plan.bytesToCopy,
  };
  await runPool(plan.copies, COPY_CONCURRENCY, options.signal, async (copy) => {
    const outcome = await stageFile(options, copy);
    if (outcome === 'vanished') {
      result.vanished.add(copy.staged);
    } else {
      result.filesCopied++;
      result.bytesCopied += outcome.bytesCopied;
    }
    progress.filesDone++;
    progress.bytesDone += outcome === 'vanished' ? 0 : outcome.bytesCopied;
    options.onProgress?.({ ...progress });
  });
  return result;
}

async function stageSymlink(link: LinkCopy, stagingRoot: Buffer): Promise<void> {
  const path = fsPath(stagingRoot, link.staged);
  try {
    await symlink(link.target, path);
    await lutimes(path, toUtimesSeconds(link.atimeNs), toUtimesSeconds(link.mtimeNs));
  } catch (error) {
    throw stagingWriteError(link.rel, 'symlink', error);
  }
}

/**
 * Gives staged directories inside new trees their source mode and times, deepest first so that
 * no later change inside moves a parent's mtime. Tree roots stay owner-writable, because renaming
 * a directory to a new parent updates its '..' entry. The commit sets their metadata.
 */
async function finishStagedDirs(
  dirs: readonly StagedDir[],
  options: StagingOptions,
): Promise<void> {
  const deepestFirst = [...dirs].sort((a, b) => relDepth(b.staged) - relDepth(a.staged));
  for (const dir of deepestFirst) {
    try {
      await finishStagedDir(dir, options);
    } catch (error) {
      throw stagingWriteError(dir.rel, 'directory metadata', error);
    }
  }
}

async function finishStagedDir(dir: StagedDir, options: StagingOptions): Promise<void> {
  const path = fsPath(options.stagingRoot, dir.staged);
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    if (!dir.isTreeRoot) {
      await handle.chmod(dir.mode);
      await handle.utimes(toUtimesSeconds(dir.atimeNs), toUtimesSeconds(dir.mtimeNs));
    }
    if (options.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}
