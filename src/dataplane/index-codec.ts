import { ByteReader, ByteWriter, IndexFormatError } from './byte-io.js';
import { HASH_BYTES } from './file-blocks.js';

export { IndexFormatError };

/**
 * An index entry for one replica entry: the source's lstat facts at the time it was copied,
 * which the replica entry matches, plus a file's block hashes. `stale` marks a path
 * whose replica state is unknown (its copy was skipped because the source file vanished), so the
 * next run replaces whatever is there.
 */
export interface IndexRecord {
  kind: 'file' | 'dir' | 'symlink' | 'stale';
  /** Entry name as a binary string (see RelPath). */
  name: string;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  dev: bigint;
  ino: bigint;
  /** Digest of the user.* attributes (see xattrDigest); undefined when there are none. */
  xattrDigest?: Buffer;
  linkTarget?: Buffer;
  /** A file's block hashes, HASH_BYTES each; undefined when the content was never hashed. */
  hashes?: Buffer;
  /**
   * Only in the plan index written during planning: the staging task (by sequence number) whose
   * result completes this file record. `link` tasks are hard links, numbered separately.
   */
  pending?: { seq: number; link: boolean };
}

const KIND_CODES = { file: 1, dir: 2, symlink: 3, stale: 4 } as const;
const KINDS = [undefined, 'file', 'dir', 'symlink', 'stale'] as const;
const FLAG_HASHES = 1;
const FLAG_XATTRS = 2;
const FLAG_PENDING = 4;
const FLAG_PENDING_LINK = 8;

/** Returns a stale marker for `name`. */
export function staleRecord(name: string): IndexRecord {
  return {
    kind: 'stale',
    name,
    mode: 0,
    uid: 0,
    gid: 0,
    nlink: 0,
    size: 0,
    mtimeNs: 0n,
    ctimeNs: 0n,
    dev: 0n,
    ino: 0n,
  };
}

/** Appends one record. */
export function encodeRecord(out: ByteWriter, record: IndexRecord): void {
  const name = Buffer.from(record.name, 'latin1');
  out.u8(KIND_CODES[record.kind]);
  out.u8(recordFlags(record));
  out.u16(name.length);
  out.bytes(name);
  if (record.kind === 'stale') return;
  out.u32(record.mode);
  out.u32(record.uid);
  out.u32(record.gid);
  out.u32(record.nlink);
  out.f64(record.size);
  out.i64(record.mtimeNs);
  out.i64(record.ctimeNs);
  out.u64(record.dev);
  out.u64(record.ino);
  encodeOptionalParts(out, record);
}

function recordFlags(record: IndexRecord): number {
  let flags = 0;
  if (record.hashes !== undefined) flags |= FLAG_HASHES;
  if (record.xattrDigest !== undefined) flags |= FLAG_XATTRS;
  if (record.pending !== undefined) flags |= FLAG_PENDING;
  if (record.pending?.link === true) flags |= FLAG_PENDING_LINK;
  return flags;
}

function encodeOptionalParts(out: ByteWriter, record: IndexRecord): void {
  if (record.xattrDigest !== undefined) out.bytes(record.xattrDigest);
  if (record.kind === 'symlink') {
    const target = record.linkTarget ?? Buffer.alloc(0);
    out.u32(target.length);
    out.bytes(target);
  }
  if (record.hashes !== undefined) {
    out.u32(record.hashes.length / HASH_BYTES);
    out.bytes(record.hashes);
  }
  if (record.pending !== undefined) out.u32(record.pending.seq);
}

/** Reads one record; throws IndexFormatError when the data ends inside it. */
export async function decodeRecord(input: ByteReader): Promise<IndexRecord> {
  if (!(await input.need(4))) throw new IndexFormatError('unexpected end of data');
  const kind = KINDS[input.u8()];
  if (kind === undefined) throw new IndexFormatError('unknown entry kind');
  const flags = input.u8();
  const nameLength = input.u16();
  await needOrFail(input, nameLength);
  const name = input.latin1(nameLength);
  if (kind === 'stale') return staleRecord(name);
  await needOrFail(input, 56);
  const record: IndexRecord = {
    kind,
    name,
    mode: input.u32(),
    uid: input.u32(),
    gid: input.u32(),
    nlink: input.u32(),
    size: input.f64(),
    mtimeNs: input.i64(),
    ctimeNs: input.i64(),
    dev: input.u64(),
    ino: input.u64(),
  };
  await decodeOptionalParts(input, record, flags);
  return record;
}

async function decodeOptionalParts(
  input: ByteReader,
  record: IndexRecord,
  flags: number,
): Promise<void> {
  if (flags & FLAG_XATTRS) {
    await needOrFail(input, 16);
    record.xattrDigest = input.bytes(16);
  }
  if (record.kind === 'symlink') record.linkTarget = await readSized(input, 1);
  if (flags & FLAG_HASHES) record.hashes = await readSized(input, HASH_BYTES);
  if (flags & FLAG_PENDING) {
    await needOrFail(input, 4);
    record.pending = { seq: input.u32(), link: (flags & FLAG_PENDING_LINK) !== 0 };
  }
}

/** Reads a u32 count followed by count units of `unit` bytes. */
async function readSized(input: ByteReader, unit: number): Promise<Buffer> {
  await needOrFail(input, 4);
  const length = input.u32() * unit;
  await needOrFail(input, length);
  return input.bytes(length);
}

async function needOrFail(input: ByteReader, count: number): Promise<void> {
  if (!(await input.need(count))) throw new IndexFormatError('unexpected end of data');
}
