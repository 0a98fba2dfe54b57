import type { Entry } from './entry.js';
import { throwIfAborted, TransferError } from './errors.js';
import { BLOCK_SIZE } from './file-blocks.js';
import type { IndexRecord } from './index-codec.js';
import { LinkGroups, sameInode, type Leader } from './link-groups.js';
import { mtimesMatch } from './mtime.js';
import {
  canPatchHoles,
  dirXattrs,
  entryXattrs,
  mayShareInode,
  ownerDiffers,
  sourceXattrs,
  stagedDirFor,
  type EntryXattrs,
} from './plan-checks.js';
import { metaOpFor, ownerLacksRwx, Plan, type FileTask } from './plan.js';
import { readEntries, readEntry, type DirListing } from './read-entries.js';
import { matchesRecord, recordFromEntry } from './records.js';
import { childRel, type RelPath } from './rel-path.js';
import type { ReplicaEntry, ReplicaView } from './replica-view.js';
import { replicaTimeMatches } from './times.js';
import type { WorkDirLayout } from './workdir.js';
import { xattrDigest, xattrsSupported } from './xattrs.js';

/** Files at least this large are compared block by block and patched in place when few changed. */
export const DELTA_MIN_BYTES = 8 * BLOCK_SIZE;

export interface PlanContext {
  sourceRoot: Buffer;
  layout: WorkDirLayout;
  /** The replica's last committed state: the index, or the replica itself. */
  view: ReplicaView;
  signal: AbortSignal | undefined;
}

/** One directory being planned: its records for the index and the subdirectories to visit. */
class DirVisit {
  readonly records: IndexRecord[] = [];
  readonly subdirs: Array<() => Promise<void>> = [];

  constructor(
    readonly rel: RelPath,
    /** Path inside staging, for a directory of a staged tree. */
    readonly staged: RelPath = '',
  ) {}
}

/**
 * Compares the source tree with the replica's last committed state and returns the plan that
 * brings the replica to the source's state, with the index of that state. Reads only metadata
 * (lstat, readlink, user.* attributes) and writes only to the work directory. With an IndexView
 * it touches no replica entry. A directory's entries are planned in byte order of their names
 * before its subdirectories are visited, which gives the index blocks their depth-first order.
 */
export async function planReplication(ctx: PlanContext): Promise<Plan> {
  const source = await readSourceRoot(ctx.sourceRoot);
  const replica = await ctx.view.root();
  const xattrs = dirXattrs(ctx, '', source, replica);
  const root = recordFromEntry('', source, { xattrDigest: xattrs.digest });
  const plan = await Plan.create(ctx.layout, root, ctx.view.kind);
  try {
    await new PlanWalk(ctx, plan).diffDir('', source, replica, xattrs);
  } finally {
    await plan.close();
  }
  return plan;
}

async function readSourceRoot(root: Buffer): Promise<Entry> {
  const entry = await readEntry(root, '', 'source');
  if (entry?.kind !== 'dir') {
    throw new TransferError(
      'SOURCE_UNREADABLE',
      `The source root ${root.toString()} is not a directory`,
    );
  }
  return entry;
}

class PlanWalk {
  readonly #links = new LinkGroups();
  #stagedCount = 0;
  #fileSeq = 0;
  #linkSeq = 0;
  #trashSlot = 0;

  constructor(
    private readonly ctx: PlanContext,
    private readonly plan: Plan,
  ) {}

  /**
   * Plans a directory present in both trees, then its subdirectories.
   * NOTE: the listings of all directories on the current path stay in memory, so a single
   * directory with millions of entries needs memory in proportion.
   */
  async diffDir(
    rel: RelPath,
    source: Entry,
    replica: ReplicaEntry,
    xattrs: EntryXattrs,
  ): Promise<void> {
    throwIfAborted(this.ctx.signal);
    const [sourceChildren, replicaChildren] = await Promise.all([
      readEntries(this.ctx.sourceRoot, rel, 'source'),
      this.ctx.view.children(rel),
    ]);
    let entriesChange = await this.deleteExtraEntries(rel, sourceChildren, replicaChildren);
    const dir = new DirVisit(rel);
    for (const [name, entry] of sourceChildren) {
      this.countScanned(entry);
      const changed = await this.diffEntry(dir, name, entry, replicaChildren.get(name));
      entriesChange ||= changed;
    }
    await this.plan.index.writeBlock(rel, dir.records);
    for (const visit of dir.subdirs) await visit();
    await this.finishDir(rel, source, replica, entriesChange, xattrs);
  }

  private countScanned(entry: Entry): void {
    this.plan.counters.entriesScanned++;
    if (entry.kind === 'file') this.plan.counters.sourceBytes += entry.size;
  }

  private async deleteExtraEntries(
    rel: RelPath,
    source: DirListing,
    replica: Map<string, ReplicaEntry>,
  ): Promise<boolean> {
    let deleted = false;
    for (const [name, entry] of replica) {
      if (source.has(name)) continue;
      await this.deleteEntry(childRel(rel, name), entry);
      deleted = true;
    }
    return deleted;
  }

  /** Plans one source entry; returns whether the parent directory's entry list changes. */
  private async diffEntry(
    dir: DirVisit,
    name: string,
    source: Entry,
    replica: ReplicaEntry | undefined,
  ): Promise<boolean> {
    const rel = childRel(dir.rel, name);
    if (source.kind === 'special') return this.skipSpecial(rel, replica);
    const replaced = replica !== undefined && replica.kind !== source.kind;
    if (replaced) await this.deleteEntry(rel, replica);
    if (replica === undefined || replaced) {
      await this.addEntry(dir, name, source);
      return true;
    }
    if (source.kind === 'dir') {
      this.keepDir(dir, name, source, replica);
      return false;
    }
    if (source.kind === 'file') return this.diffFile(dir, name, source, replica);
    return this.diffSymlink(dir, name, source, replica);
  }

  private async skipSpecial(rel: RelPath, replica: ReplicaEntry | undefined): Promise<boolean> {
    this.plan.addSkippedSpecial(rel);
    if (replica === undefined) return false;
    await this.deleteEntry(rel, replica);
    return true;
  }

  private keepDir(dir: DirVisit, name: string, source: Entry, replica: ReplicaEntry): void {
    const rel = childRel(dir.rel, name);
    const xattrs = dirXattrs(this.ctx, rel, source, replica);
    dir.records.push(recordFromEntry(name, source, { xattrDigest: xattrs.digest }));
    dir.subdirs.push(() => this.diffDir(rel, source, replica, xattrs));
  }

  /**
   * Plans a file present in both trees. From the index, a file whose inode, ctime, size and
   * mtime match its record is unchanged. From the replica, size and mtime decide, as rsync's
   * quick check does, and metadata differences become a metadata update. Any other file gets a
   * task that stages it, after comparing block hashes where the replica's are known.
   */
  private async diffFile(
    dir: DirVisit,
    name: string,
    source: Entry,
    replica: ReplicaEntry,
  ): Promise<boolean> {
    const leader = source.nlink > 1 ? this.#links.leaderOf(source) : undefined;
    if (leader !== undefined) {
      return this.addFollower(dir, name, source, replica, leader, this.nextStagedName('f'), true);
    }
    const rel = childRel(dir.rel, name);
    const record = await this.unchangedFileRecord(rel, name, source, replica);
    if (record !== undefined) {
      dir.records.push(record);
      this.#links.register(source, { rel, replica, record });
      return false;
    }
    await this.addFileTask(dir, name, source, this.nextStagedName('f'), true, replica);
    return true;
  }

  /**
   * Returns the new index record when the file's content is unchanged, else undefined.
   * NOTE: against the replica (no index), a rewrite that keeps size and mtime is not seen, and
   * the index then records the file as replicated until its source changes again.
   */
  private async unchangedFileRecord(
    rel: RelPath,
    name: string,
    source: Entry,
    replica: ReplicaEntry,
  ): Promise<IndexRecord | undefined> {
    if (replica.record !== undefined) {
      return matchesRecord(source, replica.record) ? replica.record : undefined;
    }
    if (source.size !== replica.size || !mtimesMatch(source.mtimeNs, replica.mtimeNs)) {
      return undefined;
    }
    if (mayShareInode(source, replica)) return undefined;
    const xattrs = entryXattrs(this.ctx, rel, replica);
    const metadataDiffers =
      source.mode !== replica.mode ||
      ownerDiffers(source, replica) ||
      !replicaTimeMatches(source.mtimeNs, replica.mtimeNs) ||
      xattrs.changed;
    if (metadataDiffers) {
      await this.plan.entryMeta.append(
        metaOpFor(rel, 'file', source, xattrs.changed ? xattrs.list : undefined),
      );
      this.plan.counters.metadataChanges++;
    }
    return recordFromEntry(name, source, { xattrDigest: xattrs.digest });
  }

  /** Adds the task that stages a file, comparing with the replica's content where useful. */
  private async addFileTask(
    dir: DirVisit,
    name: string,
    source: Entry,
    staged: RelPath,
    place: boolean,
    replica?: ReplicaEntry,
  ): Promise<void> {
    const rel = childRel(dir.rel, name);
    const task: FileTask = { seq: this.#fileSeq++, rel, staged, place, size: source.size };
    if (replica !== undefined) this.addBase(task, source, replica);
    await this.plan.tasks.append(task);
    dir.records.push(recordFromEntry(name, source, { pending: { seq: task.seq, link: false } }));
    this.plan.counters.filesToStage++;
    this.plan.counters.bytesToStage += source.size;
    this.#links.register(source, { rel, seq: task.seq, staged, replica });
  }

  private addBase(task: FileTask, source: Entry, replica: ReplicaEntry): void {
    if (mayShareInode(source, replica)) return;
    const hashes = replica.record?.hashes;
    if (source.size >= DELTA_MIN_BYTES && replica.size > 0 && canPatchHoles(source)) {
      task.delta = this.nextStagedName('d');
      if (hashes === undefined) task.baseFromReplica = true;
      else task.baseHashes = hashes.toString('base64');
      return;
    }
    if (source.size === replica.size && hashes !== undefined) {
      task.baseHashes = hashes.toString('base64');
    }
  }

  /**
   * Plans a later path of a multi-link source inode. It needs nothing when the leader keeps its
   * replica inode and the replica already links this path to it. Otherwise it becomes a new
   * hard link of the leader's final inode (see LinkTask).
   */
  private async addFollower(
    dir: DirVisit,
    name: string,
    source: Entry,
    replica: ReplicaEntry | undefined,
    leader: Leader,
    staged: RelPath,
    place: boolean,
  ): Promise<boolean> {
    const linked = sameInode(replica, leader.replica);
    if (leader.seq === undefined && leader.record !== undefined && linked) {
      dir.records.push({ ...leader.record, name });
      return false;
    }
    const seq = this.#linkSeq++;
    await this.plan.links.append({
      seq,
      rel: childRel(dir.rel, name),
      staged,
      place,
      leaderRel: leader.rel,
      leaderSeq: leader.seq,
      leaderStaged: leader.staged,
      linked,
    });
    if (leader.seq !== undefined) this.plan.leaderSeqs.add(leader.seq);
    dir.records.push(recordFromEntry(name, source, { pending: { seq, link: true } }));
    this.plan.counters.hardLinks++;
    return true;
  }

  private async diffSymlink(
    dir: DirVisit,
    name: string,
    source: Entry,
    replica: ReplicaEntry,
  ): Promise<boolean> {
    const rel = childRel(dir.rel, name);
    if (!(source.linkTarget as Buffer).equals(replica.linkTarget ?? Buffer.alloc(0))) {
      await this.addSymlink(dir, name, source, true);
      return true;
    }
    if (replica.record !== undefined && matchesRecord(source, replica.record)) {
      dir.records.push(replica.record);
      return false;
    }
    if (!replicaTimeMatches(source.mtimeNs, replica.mtimeNs) || ownerDiffers(source, replica)) {
      await this.plan.entryMeta.append(metaOpFor(rel, 'symlink', source, undefined));
      this.plan.counters.metadataChanges++;
    }
    dir.records.push(recordFromEntry(name, source));
    return false;
  }

  /**
   * Schedules directory metadata after the directory's contents: always after its entries
   * change, since that moves its mtime, and with the attribute list when that changed.
   */
  private async finishDir(
    rel: RelPath,
    source: Entry,
    replica: ReplicaEntry,
    entriesChange: boolean,
    xattrs: EntryXattrs,
  ): Promise<void> {
    const metadataDiffers =
      source.mode !== replica.mode ||
      ownerDiffers(source, replica) ||
      !replicaTimeMatches(source.mtimeNs, replica.mtimeNs) ||
      xattrs.changed;
    if (metadataDiffers) this.plan.counters.metadataChanges++;
    if (metadataDiffers || entriesChange) {
      const list = xattrs.changed ? xattrs.list : undefined;
      await this.plan.dirMeta.append(metaOpFor(rel, 'dir', source, list));
    }
    if (entriesChange && ownerLacksRwx(replica.mode)) {
      await this.plan.unlocks.append({ op: 'unlock', path: rel, mode: replica.mode });
    }
  }

  private async deleteEntry(rel: RelPath, replica: ReplicaEntry): Promise<void> {
    await this.plan.trash.append({ op: 'trash', path: rel, slot: String(this.#trashSlot++) });
    this.plan.counters.deletions++;
    if (replica.kind === 'dir' && ownerLacksRwx(replica.mode)) {
      await this.plan.unlocks.append({ op: 'unlock', path: rel, mode: replica.mode });
    }
  }

  /** Plans an entry missing from the replica, staged under a generated name. */
  private async addEntry(dir: DirVisit, name: string, source: Entry): Promise<void> {
    if (source.kind === 'file') await this.addFile(dir, name, source, true);
    if (source.kind === 'symlink') await this.addSymlink(dir, name, source, true);
    if (source.kind === 'dir') await this.addTree(dir, name, source);
  }

  private async addFile(dir: DirVisit, name: string, source: Entry, place: boolean): Promise<void> {
    const staged = place ? this.nextStagedName('f') : childRel(dir.staged, name);
    const leader = source.nlink > 1 ? this.#links.leaderOf(source) : undefined;
    if (leader !== undefined) {
      await this.addFollower(dir, name, source, undefined, leader, staged, place);
      return;
    }
    await this.addFileTask(dir, name, source, staged, place);
  }

  private async addSymlink(
    dir: DirVisit,
    name: string,
    source: Entry,
    place: boolean,
  ): Promise<void> {
    const rel = childRel(dir.rel, name);
    const staged = place ? this.nextStagedName('l') : childRel(dir.staged, name);
    await this.plan.symlinks.append({
      rel,
      staged,
      target: (source.linkTarget as Buffer).toString('latin1'),
      uid: source.uid,
      gid: source.gid,
      atimeNs: source.atimeNs.toString(),
      mtimeNs: source.mtimeNs.toString(),
    });
    if (place) await this.plan.places.append({ op: 'place', staged, path: rel });
    dir.records.push(recordFromEntry(name, source));
  }

  /**
   * Plans a new directory whose parent is in the replica: its tree is staged whole and renamed
   * into place at commit, then given its metadata after everything inside it is planned.
   */
  private async addTree(dir: DirVisit, name: string, source: Entry): Promise<void> {
    const rel = childRel(dir.rel, name);
    const staged = this.nextStagedName('t');
    const xattrs = sourceXattrs(this.ctx, rel);
    const stagedDir = stagedDirFor(rel, staged, source, undefined, true);
    await this.plan.stagedDirs.append(stagedDir);
    await this.plan.places.append({ op: 'place', staged, path: rel });
    dir.records.push(recordFromEntry(name, source, { xattrDigest: xattrDigest(xattrs) }));
    dir.subdirs.push(async () => {
      await this.addTreeContents(rel, staged);
      await this.plan.finishedDirs.append(stagedDir);
      const list = xattrsSupported() ? xattrs : undefined;
      await this.plan.dirMeta.append(metaOpFor(rel, 'dir', source, list));
    });
  }

  /** Plans the contents of a new directory, staged under their real names inside the tree. */
  private async addTreeContents(rel: RelPath, staged: RelPath): Promise<void> {
    throwIfAborted(this.ctx.signal);
    const children = await readEntries(this.ctx.sourceRoot, rel, 'source');
    const dir = new DirVisit(rel, staged);
    for (const [name, entry] of children) {
      this.countScanned(entry);
      if (entry.kind === 'special') this.plan.addSkippedSpecial(childRel(rel, name));
      if (entry.kind === 'file') await this.addFile(dir, name, entry, false);
      if (entry.kind === 'symlink') await this.addSymlink(dir, name, entry, false);
      if (entry.kind === 'dir') await this.addTreeDir(dir, name, entry);
    }
    await this.plan.index.writeBlock(rel, dir.records);
    for (const visit of dir.subdirs) await visit();
  }

  private async addTreeDir(dir: DirVisit, name: string, source: Entry): Promise<void> {
    const rel = childRel(dir.rel, name);
    const staged = childRel(dir.staged, name);
    const xattrs = sourceXattrs(this.ctx, rel);
    const stagedDir = stagedDirFor(rel, staged, source, xattrs, false);
    await this.plan.stagedDirs.append(stagedDir);
    dir.records.push(recordFromEntry(name, source, { xattrDigest: xattrDigest(xattrs) }));
    dir.subdirs.push(async () => {
      await this.addTreeContents(rel, staged);
      await this.plan.finishedDirs.append(stagedDir);
    });
  }

  /** Returns a unique top-level staging name: f files, l symlinks, t trees, d delta files. */
  private nextStagedName(prefix: 'f' | 'l' | 't' | 'd'): RelPath {
    this.#stagedCount++;
    return `${prefix}${String(this.#stagedCount).padStart(8, '0')}`;
  }
}
