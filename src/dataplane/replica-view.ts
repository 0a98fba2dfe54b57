import type { Entry } from './entry.js';
import type { IndexRecord } from './index-codec.js';
import { readEntries, readEntry } from './read-entries.js';
import { fsPath, type RelPath } from './rel-path.js';
import { IndexCursor, type IndexReader } from './replica-index.js';
import { readXattrs, xattrDigest } from './xattrs.js';

/**
 * The planner's view of one replica entry. From the index, the facts are the source's at
 * the time of the copy (its dev and ino included) and `record` is the index record. From the
 * replica itself, they are the replica entry's own lstat facts.
 */
export interface ReplicaEntry {
  kind: 'file' | 'dir' | 'symlink' | 'special' | 'stale';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeNs: bigint;
  dev: bigint;
  ino: bigint;
  nlink: number;
  linkTarget?: Buffer;
  record?: IndexRecord;
}

/** The replica as the planner reads it: through the index, or by listing the replica. */
export interface ReplicaView {
  readonly kind: 'index' | 'replica';
  root(): Promise<ReplicaEntry>;
  /** The entries of a replica directory that the planner found in both trees, keyed by name. */
  children(rel: RelPath): Promise<Map<string, ReplicaEntry>>;
  /** Digest of the entry's user.* attributes (see xattrDigest). */
  xattrDigest(rel: RelPath, entry: ReplicaEntry): Buffer | undefined;
}

/** Reads the replica through the index: no replica entry is touched. */
export class IndexView implements ReplicaView {
  readonly kind = 'index';
  readonly #cursor: IndexCursor;

  constructor(private readonly reader: IndexReader) {
    this.#cursor = new IndexCursor(reader);
  }

  async root(): Promise<ReplicaEntry> {
    return fromRecord(this.reader.root);
  }

  async children(rel: RelPath): Promise<Map<string, ReplicaEntry>> {
    const records = await this.#cursor.childrenOf(rel);
    return new Map(records.map((record) => [record.name, fromRecord(record)]));
  }

  xattrDigest(_rel: RelPath, entry: ReplicaEntry): Buffer | undefined {
    return entry.record?.xattrDigest;
  }
}

/** Reads the replica with lstat, as rsync does; used when there is no trusted index. */
export class ReplicaTreeView implements ReplicaView {
  readonly kind = 'replica';

  constructor(private readonly targetRoot: Buffer) {}

  async root(): Promise<ReplicaEntry> {
    const entry = await readEntry(this.targetRoot, '', 'target');
    if (entry === undefined) throw new Error('The replica root vanished');
    return fromEntry(entry);
  }

  async children(rel: RelPath): Promise<Map<string, ReplicaEntry>> {
    const listing = await readEntries(this.targetRoot, rel, 'target');
    return new Map([...listing].map(([name, entry]) => [name, fromEntry(entry)]));
  }

  xattrDigest(rel: RelPath): Buffer | undefined {
    return xattrDigest(readXattrs(fsPath(this.targetRoot, rel)));
  }
}

function fromRecord(record: IndexRecord): ReplicaEntry {
  return { ...pickFacts(record), kind: record.kind, linkTarget: record.linkTarget, record };
}

function fromEntry(entry: Entry): ReplicaEntry {
  return { ...pickFacts(entry), kind: entry.kind, linkTarget: entry.linkTarget };
}

function pickFacts(from: Omit<ReplicaEntry, 'kind'>) {
  const { mode, uid, gid, size, mtimeNs, dev, ino, nlink } = from;
  return { mode, uid, gid, size, mtimeNs, dev, ino, nlink };
}
