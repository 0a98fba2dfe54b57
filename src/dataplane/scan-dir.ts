import type { Entry, EntryKind } from './entry.js';
import type { NativeBinding } from './native.js';

/** One entry of a native directory scan: its lstat facts, or the errno of a failed lstat. */
export type ScannedEntry = { name: Buffer; entry: Entry } | { name: Buffer; errno: number };

const S_IFMT = 0o170000;
const KINDS = new Map<number, EntryKind>([
  [0o100000, 'file'],
  [0o040000, 'dir'],
  [0o120000, 'symlink'],
]);
const NS_PER_SECOND = 1_000_000_000n;

/** Lists and lstats a directory through the addon (see scanDir in native/scpfs_native.c). */
export async function scanDirectory(native: NativeBinding, path: Buffer): Promise<ScannedEntry[]> {
  return decodeScan(await native.scanDir(path));
}

/** Decodes the records packed by scanDir. */
export function decodeScan(data: Buffer): ScannedEntry[] {
  const entries: ScannedEntry[] = [];
  let offset = 0;
  while (offset < data.length) {
    const status = data.readUInt8(offset);
    const nameLength = data.readUInt16LE(offset + 1);
    const name = Buffer.from(data.subarray(offset + 3, offset + 3 + nameLength));
    offset += 3 + nameLength;
    if (status === 1) {
      entries.push({ name, errno: data.readInt32LE(offset) });
      offset += 4;
      continue;
    }
    const decoded = decodeStat(data, offset);
    entries.push({ name, entry: decoded.entry });
    offset = decoded.next;
  }
  return entries;
}

function decodeStat(data: Buffer, start: number): { entry: Entry; next: number } {
  const mode = data.readUInt32LE(start);
  const kind = KINDS.get(mode & S_IFMT) ?? 'special';
  const size = Number(data.readBigInt64LE(start + 16));
  const targetLength = data.readUInt32LE(start + 84);
  const entry: Entry = {
    kind,
    mode: mode & 0o7777,
    uid: data.readUInt32LE(start + 4),
    gid: data.readUInt32LE(start + 8),
    nlink: data.readUInt32LE(start + 12),
    size: kind === 'file' || kind === 'symlink' ? size : 0,
    blocks: Number(data.readBigInt64LE(start + 24)),
    dev: data.readBigUInt64LE(start + 32),
    ino: data.readBigUInt64LE(start + 40),
    atimeNs: timeAt(data, start + 48),
    mtimeNs: timeAt(data, start + 60),
    ctimeNs: timeAt(data, start + 72),
  };
  if (kind === 'symlink') {
    entry.linkTarget = Buffer.from(data.subarray(start + 88, start + 88 + targetLength));
  }
  return { entry, next: start + 88 + targetLength };
}

function timeAt(data: Buffer, offset: number): bigint {
  return data.readBigInt64LE(offset) * NS_PER_SECOND + BigInt(data.readUInt32LE(offset + 8));
}
