import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { ByteReader, ByteWriter, IndexFormatError } from './byte-io.js';
import { BLOCK_SIZE } from './file-blocks.js';
import { decodeRecord, encodeRecord, type IndexRecord } from './index-codec.js';
import { replicatesOwnership } from './ownership.js';
import type { RelPath } from './rel-path.js';
import { nanosecondTimes } from './times.js';
import { xattrsSupported } from './xattrs.js';

/**
 * The index file starts with a header (magic, version, block size, feature bits) and the root
 * directory's record. One block per directory follows: its path, then its entries' records
 * sorted by name bytes. Blocks come in depth-first order of the directories (see
 * compareTreeOrder). A trailer ends the file with the block count and the SHA-256 of all bytes
 * before the digest.
 */
const MAGIC = Buffer.from('SCPFSIDX');
const VERSION = 1;
const BLOCK_MARK = 0xb1;
const END_MARK = 0xe1;
const DIGEST_BYTES = 32;
const FLUSH_BYTES = 1024 * 1024;

const FEATURE_NS_TIMES = 1;
const FEATURE_XATTRS = 2;
const FEATURE_OWNERSHIP = 4;

/** What the replica was made with; an index made with other features is not trusted. */
export function currentFeatures(): number {
  let features = 0;
  if (nanosecondTimes()) features |= FEATURE_NS_TIMES;
  if (xattrsSupported()) features |= FEATURE_XATTRS;
  if (replicatesOwnership()) features |= FEATURE_OWNERSHIP;
  return features;
}

/** One directory's entries. */
export interface IndexBlock {
  dir: RelPath;
  records: IndexRecord[];
}

/**
 * Orders relative paths the way the planner visits directories: component by component, each
 * compared by bytes, a parent before its children. It equals comparing the strings with '/'
 * counted lower than any other byte, which names cannot contain.
 */
export function compareTreeOrder(a: RelPath, b: RelPath): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    return (ca === 0x2f ? -1 : ca) - (cb === 0x2f ? -1 : cb);
  }
  return a.length - b.length;
}

/** Writes an index file block by block; blocks must come in depth-first order. */
export class IndexWriter {
  #blocks = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly out: ByteWriter,
  ) {}

  static async create(path: Buffer, root: IndexRecord): Promise<IndexWriter> {
    const handle = await open(path, 'w', 0o600);
    const out = new ByteWriter(handle);
    out.bytes(MAGIC);
    out.u32(VERSION);
    out.u32(BLOCK_SIZE);
    out.u32(currentFeatures());
    encodeRecord(out, root);
    return new IndexWriter(handle, out);
  }

  async writeBlock(dir: RelPath, records: readonly IndexRecord[]): Promise<void> {
    const path = Buffer.from(dir, 'latin1');
    this.out.u8(BLOCK_MARK);
    this.out.u32(path.length);
    this.out.bytes(path);
    this.out.u32(records.length);
    for (const record of records) encodeRecord(this.out, record);
    this.#blocks++;
    await this.out.flush(FLUSH_BYTES);
  }

  /** Writes the trailer, optionally flushes to disk, closes; returns the digest as hex. */
  async finish(fsync: boolean): Promise<string> {
    this.out.u8(END_MARK);
    this.out.u32(this.#blocks);
    const digest = await this.out.digest();
    await this.handle.write(digest, 0, digest.length, this.out.position);
    if (fsync) await this.handle.sync();
    await this.handle.close();
    return digest.toString('hex');
  }

  async abort(): Promise<void> {
    await this.handle.close();
  }
}

/** Reads an index file block by block, in file order. */
export class IndexReader {
  private constructor(
    private readonly handle: FileHandle,
    private readonly input: ByteReader,
    readonly features: number,
    readonly root: IndexRecord,
  ) {}

  static async open(path: Buffer): Promise<IndexReader> {
    const handle = await open(path, 'r');
    try {
      const input = new ByteReader(handle);
      if (!(await input.need(MAGIC.length + 12)) || !input.bytes(MAGIC.length).equals(MAGIC)) {
        throw new IndexFormatError('not an index file');
      }
      if (input.u32() !== VERSION) throw new IndexFormatError('unsupported version');
      if (input.u32() !== BLOCK_SIZE) throw new IndexFormatError('another block size');
      const features = input.u32();
      const root = await decodeRecord(input);
      return new IndexReader(handle, input, features, root);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Returns the next block, or undefined after the last one. */
  async nextBlock(): Promise<IndexBlock | undefined> {
    if (!(await this.input.need(1))) throw new IndexFormatError('missing trailer');
    const mark = this.input.u8();
    if (mark === END_MARK) return undefined;
    if (mark !== BLOCK_MARK) throw new IndexFormatError('corrupt block marker');
    await this.#need(8);
    const dir = await this.#latin1(this.input.u32());
    const count = this.input.u32();
    const records: IndexRecord[] = [];
    for (let i = 0; i < count; i++) records.push(await decodeRecord(this.input));
    return { dir, records };
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  async #need(count: number): Promise<void> {
    if (!(await this.input.need(count))) throw new IndexFormatError('unexpected end of data');
  }

  async #latin1(length: number): Promise<string> {
    await this.#need(length + 4);
    return this.input.latin1(length);
  }
}

/**
 * Looks up directory blocks for directories requested in depth-first order, skipping the blocks
 * of directories that were not requested (deleted since the index was written).
 */
export class IndexCursor {
  #pending: IndexBlock | undefined;
  #done = false;

  constructor(private readonly reader: IndexReader) {}

  /** Returns the records of `dir`'s entries; throws when the index has no block for it. */
  async childrenOf(dir: RelPath): Promise<IndexRecord[]> {
    for (;;) {
      const block = await this.#peek();
      if (block === undefined || compareTreeOrder(block.dir, dir) > 0) {
        throw new IndexFormatError(`no block for a directory the index lists`);
      }
      this.#pending = undefined;
      if (block.dir === dir) return block.records;
    }
  }

  async #peek(): Promise<IndexBlock | undefined> {
    if (this.#pending === undefined && !this.#done) {
      this.#pending = await this.reader.nextBlock();
      this.#done = this.#pending === undefined;
    }
    return this.#pending;
  }
}

/** Returns the digest (hex) of an index file whose trailer matches its content, else undefined. */
export async function verifyIndexFile(path: Buffer): Promise<string | undefined> {
  const size = (await stat(path)).size;
  if (size < MAGIC.length + DIGEST_BYTES) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { end: size - DIGEST_BYTES - 1 })) {
    hash.update(chunk as Buffer);
  }
  const stored = Buffer.alloc(DIGEST_BYTES);
  const handle = await open(path, 'r');
  try {
    await handle.read(stored, 0, DIGEST_BYTES, size - DIGEST_BYTES);
  } finally {
    await handle.close();
  }
  const digest = hash.digest();
  return digest.equals(stored) ? digest.toString('hex') : undefined;
}
