import { constants, type BigIntStats } from 'node:fs';
import { lstat, lutimes, mkdir, open, readdir, readlink, rmdir, symlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import { errnoCode, throwIfAborted, TransferError } from '../dataplane/errors.js';
import type { EngineHooks } from '../dataplane/hooks.js';
import { toUtimesSeconds } from '../dataplane/mtime.js';
import { runPool } from '../dataplane/pool.js';
import { childRel, displayPath, fsPath, type RelPath } from '../dataplane/rel-path.js';
import { stageFile, stagingWriteError, type StageFileContext } from '../dataplane/stage-file.js';
import { linkFromBase, type LinkBase } from './capture-link.js';

/** Concurrent file copies: libuv's default thread pool has 4 threads, as in the replication engine. */
const COPY_CONCURRENCY = 4;
const LSTAT_BATCH = 64;
/** Special files and link fallbacks listed by path in the log; the rest are only counted. */
const LOGGED_LIMIT = 20;

/** Counters of one capture. */
export interface CaptureStats {
  /** Sum of the sizes of the regular files in the snapshot. */
  sizeBytes: number;
  filesCopied: number;
  /** Files hard-linked from the base snapshot instead of copied. */
  filesLinked: number;
  bytesCopied: number;
  /** Files removed from the volume between the listing and their copy. */
  filesVanished: number;
  symlinks: number;
  directories: number;
  /** Devices, sockets and FIFOs, which a snapshot leaves out as the replication engine does. */
  skippedSpecial: number;
  /** Files that could have been linked but were copied because link() failed. */
  linkFallbacks: number;
}

export interface CaptureContext {
  sourceRoot: Buffer;
  targetRoot: Buffer;
  base: LinkBase | undefined;
  logger: Logger;
  signal: AbortSignal | undefined;
  hooks: EngineHooks | undefined;
  fsync: boolean;
}

type Listing = Array<[name: Buffer, stats: BigIntStats]>;

/**
 * Copies a volume tree into a new snapshot directory, depth first. Regular files are copied with
 * the replication engine's stageFile (reflink where the file system has it, a copy that changed
 * while it was read is redone) or hard-linked from the base snapshot when provably unchanged.
 * Directories get their mode and times after their contents, deepest first.
 */
export class CaptureWalk {
  readonly stats: CaptureStats = {
    sizeBytes: 0,
    filesCopied: 0,
    filesLinked: 0,
    bytesCopied: 0,
    filesVanished: 0,
    symlinks: 0,
    directories: 0,
    skippedSpecial: 0,
    linkFallbacks: 0,
  };
  readonly #ctx: CaptureContext;
  readonly #stage: StageFileContext;

  constructor(ctx: CaptureContext) {
    this.#ctx = ctx;
    this.#stage = {
      sourceRoot: ctx.sourceRoot,
      stagingRoot: ctx.targetRoot,
      logger: ctx.logger,
      hooks: ctx.hooks,
      fsync: ctx.fsync,
    };
  }

  /**
   * Captures the source directory `rel` (lstat `stats`) into the target directory of the same
   * path, which must exist and be owner-writable. Returns false, after removing that target
   * directory, when the source directory was removed before it could be listed.
   */
  async captureDir(rel: RelPath, stats: BigIntStats): Promise<boolean> {
    throwIfAborted(this.#ctx.signal);
    const listing = await this.#listSource(rel);
    if (listing === undefined) {
      await rmdir(fsPath(this.#ctx.targetRoot, rel));
      return false;
    }
    const files: Listing = [];
    const dirs: Listing = [];
    for (const [name, childStats] of listing) {
      if (childStats.isFile()) files.push([name, childStats]);
      else if (childStats.isDirectory()) dirs.push([name, childStats]);
      else if (childStats.isSymbolicLink()) await this.#captureSymlink(childRel(rel, name));
      else this.#skipSpecial(childRel(rel, name));
    }
    await runPool(files, COPY_CONCURRENCY, this.#ctx.signal, ([name, fileStats]) =>
      this.#captureFile(childRel(rel, name), fileStats),
    );
    for (const [name, dirStats] of dirs) await this.#captureSubdir(childRel(rel, name), dirStats);
    await this.#finishDir(rel, stats);
    return true;
  }

  async #captureSubdir(rel: RelPath, stats: BigIntStats): Promise<void> {
    try {
      await mkdir(fsPath(this.#ctx.targetRoot, rel), { mode: 0o700 });
    } catch (error) {
      throw stagingWriteError(rel, 'mkdir', error);
    }
    if (await this.captureDir(rel, stats)) this.stats.directories++;
  }

  /** Lists and lstats a source directory; undefined when it was removed or replaced meanwhile. */
  async #listSource(rel: RelPath): Promise<Listing | undefined> {
    let names: Buffer[];
    try {
      names = await readdir(fsPath(this.#ctx.sourceRoot, rel), { encoding: 'buffer' });
    } catch (error) {
      const code = errnoCode(error);
      if (rel !== '' && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
      throw sourceError(rel, 'readdir', error);
    }
    names.sort(Buffer.compare);
    const listing: Listing = [];
    for (let start = 0; start < names.length; start += LSTAT_BATCH) {
      const batch = names.slice(start, start + LSTAT_BATCH);
      const stats = await Promise.all(batch.map((name) => this.#lstatSource(childRel(rel, name))));
      stats.forEach((s, i) => {
        if (s !== undefined) listing.push([batch[i]!, s]);
      });
    }
    return listing;
  }

  async #lstatSource(rel: RelPath): Promise<BigIntStats | undefined> {
    try {
      return await lstat(fsPath(this.#ctx.sourceRoot, rel), { bigint: true });
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw sourceError(rel, 'lstat', error);
    }
  }

  async #captureFile(rel: RelPath, stats: BigIntStats): Promise<void> {
    const onFallback = (error: unknown) => this.#noteLinkFallback(rel, error);
    if (await linkFromBase(this.#ctx.base, this.#ctx.targetRoot, rel, stats, onFallback)) {
      this.stats.filesLinked++;
      this.stats.sizeBytes += Number(stats.size);
      return;
    }
    const result = await stageFile(this.#stage, { rel, staged: rel, size: Number(stats.size) });
    if (result === 'vanished') {
      this.stats.filesVanished++;
      return;
    }
    this.stats.filesCopied++;
    this.stats.bytesCopied += result.bytesCopied;
    this.stats.sizeBytes += result.bytesCopied;
  }

  #noteLinkFallback(rel: RelPath, err: unknown): void {
    this.stats.linkFallbacks++;
    if (this.stats.linkFallbacks > LOGGED_LIMIT) return;
    this.#ctx.logger.warn(
      { err, path: displayPath(rel) },
      'Linking a file from the previous snapshot failed; copying it instead',
    );
  }

  async #captureSymlink(rel: RelPath): Promise<void> {
    const sourcePath = fsPath(this.#ctx.sourceRoot, rel);
    let target: Buffer;
    let stats: BigIntStats;
    try {
      target = await readlink(sourcePath, { encoding: 'buffer' });
      stats = await lstat(sourcePath, { bigint: true });
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return;
      if (errnoCode(error) === 'EINVAL') throw changedError(rel, error);
      throw sourceError(rel, 'readlink', error);
    }
    const path = fsPath(this.#ctx.targetRoot, rel);
    try {
      await symlink(target, path);
      await lutimes(path, toUtimesSeconds(stats.atimeNs), toUtimesSeconds(stats.mtimeNs));
    } catch (error) {
      throw stagingWriteError(rel, 'symlink', error);
    }
    this.stats.symlinks++;
  }

  #skipSpecial(rel: RelPath): void {
    this.stats.skippedSpecial++;
    if (this.stats.skippedSpecial > LOGGED_LIMIT) return;
    this.#ctx.logger.warn(
      { path: displayPath(rel) },
      'Skipped a special file (device, socket or FIFO)',
    );
  }

  /**
   * Gives a finished directory the source's mode and times, then flushes its entries.
   * NOTE: fs.utimes sets whole microseconds (see toUtimesSeconds), so directory and symlink
   * mtimes in a snapshot are the volume's rounded to the microsecond.
   */
  async #finishDir(rel: RelPath, stats: BigIntStats): Promise<void> {
    try {
      const handle = await open(
        fsPath(this.#ctx.targetRoot, rel),
        constants.O_RDONLY | constants.O_DIRECTORY,
      );
      try {
        await handle.chmod(Number(stats.mode & 0o7777n));
        await handle.utimes(toUtimesSeconds(stats.atimeNs), toUtimesSeconds(stats.mtimeNs));
        if (this.#ctx.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw stagingWriteError(rel, 'directory metadata', error);
    }
  }
}

function sourceError(rel: RelPath, operation: string, cause: unknown): TransferError {
  return new TransferError('SOURCE_UNREADABLE', `Reading the volume failed (${operation})`, {
    path: rel,
    operation,
    cause,
  });
}

/** Reports a symlink replaced by another kind of entry during the capture, so the job retries. */
function changedError(rel: RelPath, cause: unknown): TransferError {
  return new TransferError('SOURCE_CHANGED', 'A symlink was replaced while it was read', {
    path: rel,
    operation: 'readlink',
    cause,
  });
}
