import { lstat, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { TransferError } from '../dataplane/errors.js';
import type { EngineHooks } from '../dataplane/hooks.js';
import { removeTree } from '../dataplane/remove-tree.js';
import { CaptureWalk, type CaptureStats } from './capture-walk.js';

export type { CaptureStats } from './capture-walk.js';

export interface CaptureOptions {
  /** Root of the volume, only read. */
  sourceDir: string;
  /**
   * Directory the snapshot is written to, outside the volume, on a file system that allows hard
   * links from `base`. Anything already there (an interrupted attempt) is removed first.
   */
  snapshotDir: string;
  /** The newest complete snapshot of the same volume, whose unchanged files are hard-linked. */
  base?: { dir: string; markerCtimeNs: bigint };
  logger: Logger;
  /** Stops the capture between files; the caller removes the partial snapshot. */
  signal?: AbortSignal;
  hooks?: EngineHooks;
  /** Flush files and directories before returning, so a finished snapshot survives power loss. */
  fsync?: boolean;
}

export interface CaptureResult extends CaptureStats {
  /**
   * ctime of the snapshot directory right after it was created, before any volume entry was
   * read. A volume file whose ctime is older was last changed before this capture copied it,
   * which lets the next capture reuse this snapshot's copy (see CaptureWalk).
   */
  markerCtimeNs: bigint;
}

/**
 * Captures a point-in-time copy of a volume's tree: regular files (bytes, mode, mtime), symlinks
 * verbatim, directories with their modes and times, special files left out. Each file is copied
 * from one unchanging state, so no torn file is ever kept. Files copied at different moments can
 * still reflect writes made during the capture, because a plain directory tree has no atomic
 * snapshot. Fs failures are thrown as TransferError.
 */
export async function captureTree(options: CaptureOptions): Promise<CaptureResult> {
  const sourceRoot = Buffer.from(resolve(options.sourceDir));
  const targetRoot = Buffer.from(resolve(options.snapshotDir));
  const rootStats = await lstat(sourceRoot, { bigint: true }).catch((error: unknown) => {
    throw new TransferError('SOURCE_UNREADABLE', 'The volume directory cannot be read', {
      operation: 'lstat',
      cause: error,
    });
  });
  if (!rootStats.isDirectory()) {
    throw new TransferError(
      'SOURCE_UNREADABLE',
      `The volume root ${options.sourceDir} is not a directory`,
    );
  }
  const markerCtimeNs = await createSnapshotRoot(targetRoot);
  const walk = new CaptureWalk({
    sourceRoot,
    targetRoot,
    base: options.base && {
      root: Buffer.from(resolve(options.base.dir)),
      markerCtimeNs: options.base.markerCtimeNs,
    },
    logger: options.logger,
    signal: options.signal,
    hooks: options.hooks,
    fsync: options.fsync ?? true,
  });
  await walk.captureDir('', rootStats);
  return { ...walk.stats, markerCtimeNs };
}

/** Creates the empty snapshot root (owner-only until it is finished) and returns its ctime. */
async function createSnapshotRoot(targetRoot: Buffer): Promise<bigint> {
  try {
    await removeTree(targetRoot);
    await mkdir(dirname(targetRoot.toString()), { recursive: true, mode: 0o700 });
    await mkdir(targetRoot, { mode: 0o700 });
    return (await lstat(targetRoot, { bigint: true })).ctimeNs;
  } catch (error) {
    throw new TransferError('TARGET_WRITE_FAILED', 'Creating the snapshot directory failed', {
      operation: 'mkdir',
      cause: error,
    });
  }
}
