import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { nativeBinding, type NativeBinding } from './native.js';

/** Size of the blocks whose hashes the index keeps and that deltas replace. */
export const BLOCK_SIZE = 1024 * 1024;

/** Bytes of one block hash: SHA-256 truncated to 128 bits. */
export const HASH_BYTES = 16;

/** Granularity at which runs of zero bytes become holes when the addon cannot find holes. */
const ZERO_PAGE = 4096;
const zeroPage = Buffer.alloc(ZERO_PAGE);

/** One block of a file as read, with the hash of its bytes (holes read as zeros). */
export interface BlockView {
  index: number;
  /** File offset of the block's first byte. */
  offset: number;
  /** The block's bytes; only valid during the visit. */
  data: Buffer;
  hash: Buffer;
  /** Ranges inside `data`, as [start, end) offsets, that hold data rather than holes. */
  dataRanges: Array<[number, number]>;
}

/**
 * How to find holes: lseek through the addon, a scan for zero pages, or none (a dense file).
 * NOTE: the zero page scan also turns pages of a sparse file that were written with zeros into
 * holes, so such a replica can have fewer allocated blocks than its source.
 */
export type HoleDetection = 'seek' | 'zeros' | 'none';

/** Returns the detection for a file whose allocation (`blocks` of 512 bytes) may show holes. */
export function holeDetectionFor(size: number, blocks: number): HoleDetection {
  if (blocks * 512 >= size) return 'none';
  return nativeBinding() === undefined ? 'zeros' : 'seek';
}

/** Returns the number of blocks of a file of `size` bytes. */
export function blockCount(size: number): number {
  return Math.ceil(size / BLOCK_SIZE);
}

export function hashBytes(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest().subarray(0, HASH_BYTES);
}

/**
 * Reads `size` bytes of an open file block by block, in order, and calls `visit` with each one.
 * Holes are not read: they appear as zeros in `data` and outside `dataRanges`. A file that got
 * shorter meanwhile reads as zeros past its end. Callers detect the change by comparing stats.
 */
export async function forEachBlock(
  handle: FileHandle,
  size: number,
  holes: HoleDetection,
  visit: (block: BlockView) => Promise<void>,
): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(size, BLOCK_SIZE));
  const regions = new DataRegions(handle.fd, size, holes === 'seek' ? nativeBinding() : undefined);
  for (let index = 0; index * BLOCK_SIZE < size; index++) {
    const offset = index * BLOCK_SIZE;
    const length = Math.min(BLOCK_SIZE, size - offset);
    const data = buffer.subarray(0, length);
    data.fill(0);
    const ranges = regions.within(offset, offset + length);
    for (const [start, end] of ranges) await readFully(handle, data, start, end, offset);
    const dataRanges = holes === 'zeros' ? nonZeroRanges(data, ranges) : ranges;
    await visit({ index, offset, data, hash: hashBytes(data), dataRanges });
  }
}

async function readFully(
  handle: FileHandle,
  data: Buffer,
  start: number,
  end: number,
  blockOffset: number,
): Promise<void> {
  let done = start;
  while (done < end) {
    const { bytesRead } = await handle.read(data, done, end - done, blockOffset + done);
    if (bytesRead === 0) return;
    done += bytesRead;
  }
}

/** Splits ranges at zero pages, leaving out pages that contain only zero bytes. */
function nonZeroRanges(data: Buffer, ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    for (let page = start; page < end; page += ZERO_PAGE) {
      const pageEnd = Math.min(end, page + ZERO_PAGE);
      if (isZero(data, page, pageEnd)) continue;
      const last = out.at(-1);
      if (last !== undefined && last[1] === page) last[1] = pageEnd;
      else out.push([page, pageEnd]);
    }
  }
  return out;
}

function isZero(data: Buffer, start: number, end: number): boolean {
  return data.compare(zeroPage, 0, end - start, start, end) === 0;
}

/**
 * The data regions of a file, found with SEEK_DATA and SEEK_HOLE through the addon when it is
 * given, otherwise the whole file as one region. Consumed in increasing offset order.
 */
class DataRegions {
  #next = 0;
  #current: [number, number] | undefined;

  constructor(
    private readonly fd: number,
    private readonly size: number,
    private readonly native: NativeBinding | undefined,
  ) {
    if (native === undefined) this.#current = [0, size];
  }

  /** Returns the parts of [start, end) that hold data, relative to `start`. */
  within(start: number, end: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let from = start;
    for (;;) {
      const region = this.#regionFrom(from);
      if (region === undefined || region[0] >= end) return out;
      out.push([Math.max(region[0], from) - start, Math.min(region[1], end) - start]);
      if (region[1] >= end) return out;
      from = region[1];
    }
  }

  /** Returns the first data region that ends after `offset`. */
  #regionFrom(offset: number): [number, number] | undefined {
    if (this.#current !== undefined && this.#current[1] > offset) return this.#current;
    if (this.native === undefined || this.#next >= this.size) return undefined;
    const dataStart = this.native.seekData(this.fd, Math.max(offset, this.#next));
    if (dataStart < 0 || dataStart >= this.size) {
      this.#next = this.size;
      return undefined;
    }
    const holeStart = this.native.seekHole(this.fd, dataStart);
    const end = holeStart < 0 ? this.size : Math.min(holeStart, this.size);
    this.#current = [dataStart, end];
    this.#next = end;
    return this.#current;
  }
}
