import { lstat, readdir, readlink } from 'node:fs/promises';
import { getSystemErrorName } from 'node:util';
import { entryFromStats, type Entry } from './entry.js';
import { errnoCode, TransferError, type TransferErrorCode } from './errors.js';
import { nativeBinding, type NativeBinding } from './native.js';
import { childRel, fsPath, type RelPath } from './rel-path.js';
import { scanDirectory } from './scan-dir.js';

/** Side of a run that a listing reads, so that failures carry the right error code. */
export type TreeSide = 'source' | 'target';

/** Entries of one directory, keyed by raw name as a binary string (see RelPath). */
export type DirListing = Map<string, Entry>;

const LSTAT_BATCH = 64;

/** errno codes of listing a source directory that mean it was removed or replaced meanwhile. */
const REPLACED_DIRECTORY = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

/**
 * Lists one directory and lstats its entries, reading symlink targets as raw bytes. Entries that
 * vanish between readdir and lstat are left out, as if removed before the listing. With the
 * addon one call on the thread pool does the whole directory, which is several times faster
 * than an lstat promise per entry, and the directory itself is opened without following a
 * symlink.
 */
export async function readEntries(root: Buffer, rel: RelPath, side: TreeSide): Promise<DirListing> {
  const native = nativeBinding();
  if (native !== undefined) return scanEntries(native, root, rel, side);
  const names = await listNames(root, rel, side);
  names.sort(compareBytes);
  const listing: DirListing = new Map();
  for (let start = 0; start < names.length; start += LSTAT_BATCH) {
    const batch = names.slice(start, start + LSTAT_BATCH);
    const entries = await Promise.all(
      batch.map((name) => readEntry(root, childRel(rel, name), side)),
    );
    entries.forEach((entry, i) => {
      if (entry !== undefined) listing.set((batch[i] as Buffer).toString('latin1'), entry);
    });
  }
  return listing;
}

/** lstats one entry and reads its link target; undefined when it does not exist. */
export async function readEntry(
  root: Buffer,
  rel: RelPath,
  side: TreeSide,
): Promise<Entry | undefined> {
  const path = fsPath(root, rel);
  try {
    const entry = entryFromStats(await lstat(path, { bigint: true }));
    if (entry.kind === 'symlink') entry.linkTarget = await readlink(path, { encoding: 'buffer' });
    return entry;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw entryError(rel, side, error);
  }
}

async function scanEntries(
  native: NativeBinding,
  root: Buffer,
  rel: RelPath,
  side: TreeSide,
): Promise<DirListing> {
  let scanned;
  try {
    scanned = await scanDirectory(native, fsPath(root, rel));
  } catch (error) {
    throw listingError(rel, side, error);
  }
  scanned.sort((a, b) => Buffer.compare(a.name, b.name));
  const listing: DirListing = new Map();
  for (const item of scanned) {
    const childPath = childRel(rel, item.name);
    if ('errno' in item) throw entryError(childPath, side, systemError(item.errno, 'lstat'));
    listing.set(item.name.toString('latin1'), item.entry);
  }
  return listing;
}

async function listNames(root: Buffer, rel: RelPath, side: TreeSide): Promise<Buffer[]> {
  try {
    return await readdir(fsPath(root, rel), { encoding: 'buffer' });
  } catch (error) {
    throw listingError(rel, side, error);
  }
}

function listingError(rel: RelPath, side: TreeSide, cause: unknown): TransferError {
  const vanished = side === 'source' && REPLACED_DIRECTORY.has(errnoCode(cause) ?? '');
  const code: TransferErrorCode = vanished ? 'SOURCE_CHANGED' : readFailureCode(side);
  const message = vanished
    ? 'A source directory was removed or replaced during the scan; the next run will pick up the change'
    : `Listing the ${side} directory failed`;
  return new TransferError(code, message, { path: rel, operation: 'readdir', cause });
}

function entryError(rel: RelPath, side: TreeSide, cause: unknown): TransferError {
  return new TransferError(readFailureCode(side), `Reading the ${side} entry failed`, {
    path: rel,
    operation: 'lstat',
    cause,
  });
}

/** Builds an Error like those of node:fs for an errno reported by the addon. */
function systemError(errno: number, syscall: string): Error {
  const code = getSystemErrorName(-errno);
  return Object.assign(new Error(`${code}: ${syscall} failed`), { errno, code, syscall });
}

function readFailureCode(side: TreeSide): TransferErrorCode {
  return side === 'source' ? 'SOURCE_UNREADABLE' : 'TARGET_UNREADABLE';
}

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}
