import { lstat, readdir, readlink } from 'node:fs/promises';
import { entryFromStats, type Entry } from './entry.js';
import { errnoCode, TransferError, type TransferErrorCode } from './errors.js';
import { childRel, fsPath, type RelPath } from './rel-path.js';

/** Side of a run that a listing reads, so that failures carry the right error code. */
export type TreeSide = 'source' | 'target';

/** Entries of one directory, keyed by raw name as a binary string (see RelPath). */
export type DirListing = Map<string, Entry>;

const LSTAT_BATCH = 64;

/**
 * Lists one directory and lstats its entries, reading symlink targets as raw bytes. Entries that
 * vanish between readdir and lstat are left out, as if removed before the listing.
 */
export async function readEntries(root: Buffer, rel: RelPath, side: TreeSide): Promise<DirListing> {
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
    throw new TransferError(readFailureCode(side), `Reading the ${side} entry failed`, {
      path: rel,
      operation: 'lstat',
      cause: error,
    });
  }
}

async function listNames(root: Buffer, rel: RelPath, side: TreeSide): Promise<Buffer[]> {
  try {
    return await readdir(fsPath(root, rel), { encoding: 'buffer' });
  } catch (error) {
    const vanished = side === 'source' && errnoCode(error) === 'ENOENT';
    const code: TransferErrorCode = vanished ? 'SOURCE_CHANGED' : readFailureCode(side);
    const message = vanished
      ? 'A source directory was removed during the scan; the next run will pick up the change'
      : `Listing the ${side} directory failed`;
    throw new TransferError(code, message, { path: rel, operation: 'readdir', cause: error });
  }
}

function readFailureCode(side: TreeSide): TransferErrorCode {
  return side === 'source' ? 'SOURCE_UNREADABLE' : 'TARGET_UNREADABLE';
}

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}
