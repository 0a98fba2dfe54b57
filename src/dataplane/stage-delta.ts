import { constants, type BigIntStats } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { readSourceConsistently, type SourceReadContext } from './consistent-read.js';
import { DeltaWriter } from './delta-file.js';
import { errnoCode, TransferError } from './errors.js';
import {
  blockCount,
  forEachBlock,
  HASH_BYTES,
  holeDetectionFor,
  type BlockView,
} from './file-blocks.js';
import { fsPath, type RelPath } from './rel-path.js';
import { stagingWriteError } from './stage-file.js';
import { readXattrs, type XattrList } from './xattrs.js';

/** A delta is used only while at most this fraction of the blocks changed; else a full copy. */
const MAX_CHANGED_FRACTION = 0.5;

export interface DeltaContext extends SourceReadContext {
  stagingRoot: Buffer;
  fsync: boolean;
}

/** Outcome of comparing a large file with the replica's block hashes. */
export type DeltaOutcome =
  | {
      /** 'same': content equal to the replica's; 'patched': a delta file was staged. */
      status: 'same' | 'patched';
      stats: BigIntStats;
      hashes: Buffer;
      xattrs: XattrList;
      changedBlocks: number;
      /** Bytes of changed blocks in the delta file. */
      deltaBytes: number;
    }
  | 'too-many-changes'
  | 'vanished';

interface DeltaRead {
  hashes: Buffer;
  changedBlocks: number;
  deltaBytes: number;
  tooMany: boolean;
  xattrs: XattrList;
}

/**
 * Reads the source file once, hashing each block, and writes the blocks whose hash differs from
 * `base` (the replica's block hashes) to the delta file staging/<delta>. The delta file is
 * deleted again unless the outcome is 'patched'.
 */
export async function stageDelta(
  ctx: DeltaContext,
  rel: RelPath,
  delta: RelPath,
  base: Buffer,
): Promise<DeltaOutcome> {
  const path = fsPath(ctx.stagingRoot, delta);
  const handle = await openDeltaFile(path, rel);
  let keep = false;
  try {
    const read = await readSourceConsistently(ctx, rel, (source, before) =>
      readDelta(source, before, handle, base, rel),
    );
    if (read === 'vanished') return 'vanished';
    if (read.value.tooMany) return 'too-many-changes';
    const { hashes, changedBlocks, deltaBytes, xattrs } = read.value;
    keep = changedBlocks > 0 || hashes.length !== base.length;
    if (keep && ctx.fsync) await handle.sync();
    const status = keep ? 'patched' : 'same';
    return { status, stats: read.stats, hashes, xattrs, changedBlocks, deltaBytes };
  } finally {
    await handle.close();
    if (!keep) await unlink(path);
  }
}

async function readDelta(
  source: FileHandle,
  before: BigIntStats,
  handle: FileHandle,
  base: Buffer,
  rel: RelPath,
): Promise<DeltaRead> {
  await handle.truncate(0);
  const size = Number(before.size);
  const writer = new DeltaWriter(handle);
  const total = blockCount(size);
  const hashes = Buffer.allocUnsafe(total * HASH_BYTES);
  const result: DeltaRead = { hashes, changedBlocks: 0, deltaBytes: 0, tooMany: false, xattrs: [] };
  const holes = holeDetectionFor(size, Number(before.blocks));
  await forEachBlock(source, size, holes, async (block) => {
    block.hash.copy(hashes, block.index * HASH_BYTES);
    if (block.hash.equals(baseHash(base, block.index))) return;
    result.changedBlocks++;
    result.tooMany ||= result.changedBlocks > total * MAX_CHANGED_FRACTION;
    if (result.tooMany) return;
    await appendBlock(writer, block, rel);
    result.deltaBytes += block.data.length;
  });
  result.xattrs = readXattrs(source.fd);
  return result;
}

function baseHash(base: Buffer, index: number): Buffer {
  return base.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
}

/**
 * Appends a changed block: one data record when it is all data, else a zeros record for the
 * whole block followed by its data ranges, so that its holes stay holes in the replica.
 */
async function appendBlock(writer: DeltaWriter, block: BlockView, rel: RelPath): Promise<void> {
  const [first] = block.dataRanges;
  const allData =
    block.dataRanges.length === 1 && first?.[0] === 0 && first[1] === block.data.length;
  try {
    if (allData) {
      await writer.append(block.offset, block.data, false);
      return;
    }
    await writer.append(block.offset, block.data, true);
    for (const [start, end] of block.dataRanges) {
      await writer.append(block.offset + start, block.data.subarray(start, end), false);
    }
  } catch (error) {
    throw stagingWriteError(rel, 'write delta', error);
  }
}

async function openDeltaFile(path: Buffer, rel: RelPath): Promise<FileHandle> {
  try {
    return await open(path, 'wx', 0o600);
  } catch (error) {
    throw stagingWriteError(rel, 'open delta', error);
  }
}

/**
 * Reads the replica file at `rel` and returns its block hashes, as the base of a delta when the
 * index has none. Throws TARGET_CHANGED when the replica has no regular file there.
 */
export async function hashReplicaFile(targetRoot: Buffer, rel: RelPath): Promise<Buffer> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let handle: FileHandle;
  try {
    handle = await open(fsPath(targetRoot, rel), flags);
  } catch (error) {
    throw replicaFileError(rel, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw replicaFileError(rel, new Error('not a regular file'));
    const hashes = Buffer.allocUnsafe(blockCount(stats.size) * HASH_BYTES);
    const holes = holeDetectionFor(stats.size, stats.blocks);
    await forEachBlock(handle, stats.size, holes, async (block) => {
      block.hash.copy(hashes, block.index * HASH_BYTES);
    });
    return hashes;
  } catch (error) {
    if (error instanceof TransferError) throw error;
    throw new TransferError('TARGET_UNREADABLE', 'Reading the replica file failed', {
      path: rel,
      operation: 'read',
      cause: error,
    });
  } finally {
    await handle.close();
  }
}

function replicaFileError(rel: RelPath, cause: unknown): TransferError {
  const missing = ['ENOENT', 'ELOOP', 'ENOTDIR'].includes(errnoCode(cause) ?? '');
  if (!missing && errnoCode(cause) !== undefined) {
    return new TransferError('TARGET_UNREADABLE', 'Opening the replica file failed', {
      path: rel,
      operation: 'open',
      cause,
    });
  }
  return new TransferError(
    'TARGET_CHANGED',
    'The replica has no regular file where the last committed version has one',
    { path: rel, operation: 'open', cause },
  );
}
