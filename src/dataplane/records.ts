import type { Entry } from './entry.js';
import type { IndexRecord } from './index-codec.js';

/** Optional parts of a record built from a source entry. */
export interface RecordExtras {
  xattrDigest?: Buffer;
  hashes?: Buffer;
  pending?: IndexRecord['pending'];
}

/** Builds the index record of a source entry that is (or will be) replicated as it is now. */
export function recordFromEntry(
  name: string,
  entry: Entry,
  extras: RecordExtras = {},
): IndexRecord {
  if (entry.kind === 'special') throw new Error('Special files are not replicated or indexed');
  return {
    kind: entry.kind,
    name,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    nlink: entry.nlink,
    size: entry.size,
    mtimeNs: entry.mtimeNs,
    ctimeNs: entry.ctimeNs,
    dev: entry.dev,
    ino: entry.ino,
    linkTarget: entry.linkTarget,
    ...definedOnly(extras),
  };
}

/**
 * Tells whether a source entry is in the state the record describes: the same inode with the
 * same ctime, size and mtime. Every content, mode, owner, attribute, link count or name change
 * moves ctime, so a match means the replica entry needs nothing.
 */
export function matchesRecord(entry: Entry, record: IndexRecord): boolean {
  return (
    entry.kind === record.kind &&
    entry.dev === record.dev &&
    entry.ino === record.ino &&
    entry.ctimeNs === record.ctimeNs &&
    entry.mtimeNs === record.mtimeNs &&
    entry.size === record.size &&
    entry.mode === record.mode &&
    entry.uid === record.uid &&
    entry.gid === record.gid
  );
}

function definedOnly(extras: RecordExtras): RecordExtras {
  const out: RecordExtras = {};
  if (extras.xattrDigest !== undefined) out.xattrDigest = extras.xattrDigest;
  if (extras.hashes !== undefined) out.hashes = extras.hashes;
  if (extras.pending !== undefined) out.pending = extras.pending;
  return out;
}
