import { mkdir } from 'node:fs/promises';
import type { Entry } from './entry.js';
import type { IndexRecord } from './index-codec.js';
import type { JournalOp, MetaOp } from './journal.js';
import { RecordLog } from './record-log.js';
import type { RelPath } from './rel-path.js';
import { IndexWriter } from './replica-index.js';
import { planFile, type WorkDirLayout } from './workdir.js';
import { encodeXattrs, type XattrList } from './xattrs.js';

/** Special files listed by name in the plan and RunStats; the rest are only counted. */
export const SKIPPED_SPECIAL_LIMIT = 100;

/**
 * A regular file to stage. Without a base it is copied. With a base (the replica content's
 * block hashes, or the replica file itself to hash) staging first compares: equal content needs
 * only a metadata update, and a large file with few changed blocks gets a delta file instead.
 */
export interface FileTask {
  /** Position among the run's file tasks, from 0; staging results come back in this order. */
  seq: number;
  rel: RelPath;
  /** Path under the staging directory for a full copy. */
  staged: RelPath;
  /** Rename the staged copy into the replica at commit; false inside a staged tree. */
  place: boolean;
  /** Size at scan time, for progress totals; staging records the size it actually read. */
  size: number;
  /** Block hashes (base64) of the replica's current content. */
  baseHashes?: string;
  /** Hash the replica file to get the base, when the index has no hashes for it. */
  baseFromReplica?: boolean;
  /** Staged name of the delta file, for a file large enough to be patched in place. */
  delta?: RelPath;
}

/** A path to give the inode of an earlier path with the same source inode (its leader). */
export interface LinkTask {
  /** Position among the run's link tasks, from 0. */
  seq: number;
  rel: RelPath;
  staged: RelPath;
  place: boolean;
  leaderRel: RelPath;
  /** The leader's file task, when the run stages the leader. */
  leaderSeq?: number;
  leaderStaged?: RelPath;
  /** The replica already has this path as a hard link of the leader's inode. */
  linked: boolean;
}

/** A symlink to create in staging, with a target as a binary string. */
export interface SymlinkTask {
  rel: RelPath;
  staged: RelPath;
  target: string;
  uid: number;
  gid: number;
  atimeNs: string;
  mtimeNs: string;
}

/**
 * A directory created in staging. A new directory whose parent already exists in the replica is
 * the root of a staged tree: the whole subtree is built in staging and moved into place by one
 * rename at commit, which keeps the commit window short.
 */
export interface StagedDir {
  rel: RelPath;
  staged: RelPath;
  mode: number;
  uid: number;
  gid: number;
  atimeNs: string;
  mtimeNs: string;
  isTreeRoot: boolean;
  xattrs: ReturnType<typeof encodeXattrs> | undefined;
}

/** Counters of a plan, for the log and RunStats. */
export interface PlanCounters {
  entriesScanned: number;
  /** Sum of the sizes of all source regular files, unchanged ones included. */
  sourceBytes: number;
  filesToStage: number;
  bytesToStage: number;
  hardLinks: number;
  deletions: number;
  /** Existing entries whose metadata differs from the source, found while planning. */
  metadataChanges: number;
  skippedSpecialCount: number;
}

/**
 * Everything one run will do, decided before anything is written to the replica. The lists are
 * files in the work directory (see RecordLog), so a plan for millions of entries stays small in
 * memory. Journal ops are grouped by kind, and the journal lists the groups in `journalGroups` order.
 */
export class Plan {
  readonly counters: PlanCounters = {
    entriesScanned: 0,
    sourceBytes: 0,
    filesToStage: 0,
    bytesToStage: 0,
    hardLinks: 0,
    deletions: 0,
    metadataChanges: 0,
    skippedSpecialCount: 0,
  };
  readonly skippedSpecial: RelPath[] = [];
  /** File tasks whose result link tasks need, because the file has hard links. */
  readonly leaderSeqs = new Set<number>();
  readonly tasks: RecordLog<FileTask>;
  readonly links: RecordLog<LinkTask>;
  readonly symlinks: RecordLog<SymlinkTask>;
  /** Parents before their children, in creation order. */
  readonly stagedDirs: RecordLog<StagedDir>;
  /** Children before their parents, for setting metadata once contents are complete. */
  readonly finishedDirs: RecordLog<StagedDir>;
  readonly unlocks: RecordLog<JournalOp>;
  readonly trash: RecordLog<JournalOp>;
  readonly places: RecordLog<JournalOp>;
  readonly patches: RecordLog<JournalOp>;
  readonly entryMeta: RecordLog<JournalOp>;
  /** Directory metadata in post-order, so that the root comes last. */
  readonly dirMeta: RecordLog<JournalOp>;

  private constructor(
    layout: WorkDirLayout,
    /** The index of the planned version; file records of tasks are completed after staging. */
    readonly index: IndexWriter,
    /** What the plan compared the source with: the index, or the replica itself. */
    readonly planner: 'index' | 'replica',
  ) {
    const log = <T>(name: string) => new RecordLog<T>(planFile(layout, name));
    this.tasks = log('tasks');
    this.links = log('links');
    this.symlinks = log('symlinks');
    this.stagedDirs = log('staged-dirs');
    this.finishedDirs = log('finished-dirs');
    this.unlocks = log('unlocks');
    this.trash = log('trash');
    this.places = log('places');
    this.patches = log('patches');
    this.entryMeta = log('entry-meta');
    this.dirMeta = log('dir-meta');
  }

  /** Creates the plan directory and the plan index, starting with the root's record. */
  static async create(
    layout: WorkDirLayout,
    root: IndexRecord,
    planner: Plan['planner'],
  ): Promise<Plan> {
    await mkdir(layout.plan, { mode: 0o700 });
    const index = await IndexWriter.create(planFile(layout, 'index'), root);
    return new Plan(layout, index, planner);
  }

  get journalGroups(): Array<RecordLog<JournalOp>> {
    return [this.unlocks, this.trash, this.places, this.patches, this.entryMeta, this.dirMeta];
  }

  /** Journal ops that change the replica. */
  get replicaOpCount(): number {
    return this.journalGroups.reduce((sum, group) => sum + group.count, 0);
  }

  addSkippedSpecial(rel: RelPath): void {
    this.counters.skippedSpecialCount++;
    if (this.skippedSpecial.length < SKIPPED_SPECIAL_LIMIT) this.skippedSpecial.push(rel);
  }

  /** Digest of the plan index, once closed. */
  indexDigest: string | undefined;

  /**
   * Flushes every list and the plan index, so that staging and the index build can read them.
   * Also closes the files of a plan whose planning failed.
   */
  async close(): Promise<void> {
    const lists = [this.tasks, this.links, this.symlinks, this.stagedDirs, this.finishedDirs];
    for (const list of [...lists, ...this.journalGroups]) await list.close();
    this.indexDigest = await this.index.finish(false);
  }

  /**
   * Tells whether the run found nothing to do: no task, no replica change, and the same index as
   * `baseDigest` (the index the plan was made from), so no new index either.
   */
  changesNothing(baseDigest: string | undefined): boolean {
    const tasks = this.tasks.count + this.links.count;
    return tasks === 0 && this.replicaOpCount === 0 && this.indexDigest === baseDigest;
  }
}

/** The metadata a meta op sets. */
export type MetaSource = Pick<Entry, 'mode' | 'uid' | 'gid' | 'atimeNs' | 'mtimeNs'>;

/**
 * Builds the journal op that gives `rel` the source's metadata. Without `xattrs` the
 * replica's attributes stay as they are.
 */
export function metaOpFor(
  rel: RelPath,
  kind: MetaOp['kind'],
  source: MetaSource,
  xattrs: XattrList | undefined,
): MetaOp {
  return {
    op: 'meta',
    kind,
    path: rel,
    mode: source.mode,
    uid: source.uid,
    gid: source.gid,
    atimeNs: source.atimeNs.toString(),
    mtimeNs: source.mtimeNs.toString(),
    xattrs: xattrs === undefined ? undefined : encodeXattrs(xattrs),
  };
}

/** Tells whether the owner lacks any of read, write and search on a directory mode. */
export function ownerLacksRwx(mode: number): boolean {
  return (mode & 0o700) !== 0o700;
}
