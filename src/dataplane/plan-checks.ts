import { mayHaveHoles, type Entry } from './entry.js';
import { errnoCode, TransferError } from './errors.js';
import { nativeBinding } from './native.js';
import { replicatesOwnership } from './ownership.js';
import type { StagedDir } from './plan.js';
import { fsPath, type RelPath } from './rel-path.js';
import type { ReplicaEntry, ReplicaView } from './replica-view.js';
import {
  encodeXattrs,
  readXattrs,
  sameDigest,
  xattrDigest,
  xattrsSupported,
  type XattrList,
} from './xattrs.js';

/** What the attribute checks read: the source tree and the replica's last committed state. */
export interface XattrContext {
  sourceRoot: Buffer;
  view: ReplicaView;
}

/** An entry's user.* attributes: `list` is read only when they may have changed. */
export interface EntryXattrs {
  list: XattrList | undefined;
  digest: Buffer | undefined;
  changed: boolean;
}

export function stagedDirFor(
  rel: RelPath,
  staged: RelPath,
  source: Entry,
  xattrs: XattrList | undefined,
  isTreeRoot: boolean,
): StagedDir {
  return {
    rel,
    staged,
    mode: source.mode,
    uid: source.uid,
    gid: source.gid,
    atimeNs: source.atimeNs.toString(),
    mtimeNs: source.mtimeNs.toString(),
    isTreeRoot,
    xattrs: xattrs === undefined || !xattrsSupported() ? undefined : encodeXattrs(xattrs),
  };
}

/**
 * Tells whether the replica file's inode may be shared with replica paths that are not links of
 * the source file's inode. Then the file must get a new inode: changing the shared one in place
 * (metadata or block patches) would change those other paths too. From the index: the replica
 * inode had several links and the source path now names another inode. From the replica: the
 * source file has one link and the replica file several.
 */
export function mayShareInode(source: Entry, replica: ReplicaEntry): boolean {
  if (replica.nlink <= 1) return false;
  if (replica.record !== undefined) return source.dev !== replica.dev || source.ino !== replica.ino;
  return source.nlink <= 1;
}

/**
 * Tells whether a patch can keep the file's holes: it punches them through the addon, and a file
 * without holes needs none. Without the addon a sparse file is copied whole instead.
 */
export function canPatchHoles(source: Entry): boolean {
  return nativeBinding() !== undefined || !mayHaveHoles(source);
}

export function ownerDiffers(source: Entry, replica: ReplicaEntry): boolean {
  return replicatesOwnership() && (source.uid !== replica.uid || source.gid !== replica.gid);
}

/**
 * Returns a directory's attributes and whether they differ from the replica's. With the index,
 * an unchanged ctime means unchanged attributes, so nothing is read.
 */
export function dirXattrs(
  ctx: XattrContext,
  rel: RelPath,
  source: Entry,
  replica: ReplicaEntry,
): EntryXattrs {
  if (!xattrsSupported()) return { list: undefined, digest: undefined, changed: false };
  const record = replica.record;
  if (record !== undefined && record.ctimeNs === source.ctimeNs) {
    return { list: undefined, digest: record.xattrDigest, changed: false };
  }
  return entryXattrs(ctx, rel, replica);
}

/** Reads the source entry's attributes and compares them with the replica's. */
export function entryXattrs(ctx: XattrContext, rel: RelPath, replica: ReplicaEntry): EntryXattrs {
  if (!xattrsSupported()) return { list: undefined, digest: undefined, changed: false };
  const list = sourceXattrs(ctx, rel);
  const digest = xattrDigest(list);
  return { list, digest, changed: !sameDigest(digest, ctx.view.xattrDigest(rel, replica)) };
}

/** Reads the user.* attributes of a source entry; an entry removed meanwhile has none. */
export function sourceXattrs(ctx: XattrContext, rel: RelPath): XattrList {
  try {
    return readXattrs(fsPath(ctx.sourceRoot, rel));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw new TransferError('SOURCE_UNREADABLE', 'Reading the extended attributes failed', {
      path: rel,
      operation: 'llistxattr',
      cause: error,
    });
  }
}
