import type { Entry } from './entry.js';
import { throwIfAborted, TransferError } from './errors.js';
import { mtimesMatch } from './mtime.js';
import { emptyPlan, metaUpdateFor, ownerLacksRwx, type Plan } from './plan.js';
import { readEntries, readEntry, type DirListing, type TreeSide } from './read-entries.js';
import { childRel, type RelPath } from './rel-path.js';

/**
 * Compares the source tree with the replica and returns the plan that brings the replica to the
 * source's state. Reads both trees with lstat only and writes nothing.
 */
export async function planReplication(
  sourceRoot: Buffer,
  targetRoot: Buffer,
  signal?: AbortSignal,
): Promise<Plan> {
  const source = await readRootEntry(sourceRoot, 'source');
  const target = await readRootEntry(targetRoot, 'target');
  const walk = new PlanWalk(sourceRoot, targetRoot, signal);
  await walk.diffDir('', source, target);
  return walk.plan;
}

async function readRootEntry(root: Buffer, side: TreeSide): Promise<Entry> {
  const entry = await readEntry(root, '', side);
  if (entry?.kind !== 'dir') {
    const code = side === 'source' ? 'SOURCE_UNREADABLE' : 'TARGET_UNREADABLE';
    throw new TransferError(code, `The ${side} root ${root.toString()} is not a directory`);
  }
  return entry;
}

class PlanWalk {
  readonly plan: Plan = emptyPlan();
  private stagedCount = 0;

  constructor(
    private readonly sourceRoot: Buffer,
    private readonly targetRoot: Buffer,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Plans a directory present in both trees, then its subdirectories. */
  async diffDir(rel: RelPath, source: Entry, target: Entry): Promise<void> {
    throwIfAborted(this.signal);
    const [sourceChildren, targetChildren] = await Promise.all([
      readEntries(this.sourceRoot, rel, 'source'),
      readEntries(this.targetRoot, rel, 'target'),
    ]);
    let entriesChange = this.deleteExtraEntries(rel, sourceChildren, targetChildren);
    for (const [name, entry] of sourceChildren) {
      this.countScanned(entry);
      const changed = await this.diffEntry(childRel(rel, name), entry, targetChildren.get(name));
      entriesChange ||= changed;
    }
    this.finishDir(rel, source, target, entriesChange);
  }

  private countScanned(entry: Entry): void {
    this.plan.entriesScanned++;
    if (entry.kind === 'file') this.plan.sourceBytes += entry.size;
  }

  private deleteExtraEntries(rel: RelPath, source: DirListing, target: DirListing): boolean {
    let deleted = false;
    for (const [name, entry] of target) {
      if (source.has(name)) continue;
      this.deleteEntry(childRel(rel, name), entry);
      deleted = true;
    }
    return deleted;
  }

  /** Plans one source entry; returns whether the parent directory's entry list changes. */
  private async diffEntry(
    rel: RelPath,
    source: Entry,
    target: Entry | undefined,
  ): Promise<boolean> {
    if (source.kind === 'special') return this.skipSpecial(rel, target);
    let replaced = false;
    if (target !== undefined && target.kind !== source.kind) {
      this.deleteEntry(rel, target);
      replaced = true;
    }
    if (target === undefined || replaced) {
      await this.addEntry(rel, source);
      return true;
    }
    if (source.kind === 'dir') await this.diffDir(rel, source, target);
    if (source.kind === 'file') return this.diffFile(rel, source, target);
    if (source.kind === 'symlink') return this.diffSymlink(rel, source, target);
    return false;
  }

  private skipSpecial(rel: RelPath, target: Entry | undefined): boolean {
    this.plan.skippedSpecial.push(rel);
    if (target === undefined) return false;
    this.deleteEntry(rel, target);
    return true;
  }

  /**
   * Recopies a file whose size or mtime differ (a quick check, as rsync does by default).
   * NOTE: a rewrite that keeps both size and mtime (within MTIME_TOLERANCE_NS) is not seen. The
   * source's ctime would show it, but the replica cannot store it, so that needs an own index.
   */
  private diffFile(rel: RelPath, source: Entry, target: Entry): boolean {
    if (source.size !== target.size || !mtimesMatch(source.mtimeNs, target.mtimeNs)) {
      this.stageFile(rel, source);
      return true;
    }
    if (source.mode !== target.mode) {
      this.plan.entryMeta.push(metaUpdateFor(rel, source));
      this.plan.metadataChanges++;
    }
    return false;
  }

  private diffSymlink(rel: RelPath, source: Entry, target: Entry): boolean {
    if (!(source.linkTarget as Buffer).equals(target.linkTarget as Buffer)) {
      this.stageSymlink(rel, source);
      return true;
    }
    if (!mtimesMatch(source.mtimeNs, target.mtimeNs)) {
      this.plan.entryMeta.push(metaUpdateFor(rel, source));
      this.plan.metadataChanges++;
    }
    return false;
  }

  /** Schedules directory metadata: always after its entries change, since that moves its mtime. */
  private finishDir(rel: RelPath, source: Entry, target: Entry, entriesChange: boolean): void {
    const metadataDiffers =
      source.mode !== target.mode || !mtimesMatch(source.mtimeNs, target.mtimeNs);
    if (metadataDiffers) this.plan.metadataChanges++;
    if (metadataDiffers || entriesChange) this.plan.dirMeta.push(metaUpdateFor(rel, source));
    if (entriesChange && ownerLacksRwx(target.mode)) {
      this.plan.unlocks.push({ rel, mode: target.mode });
    }
  }

  private deleteEntry(rel: RelPath, target: Entry): void {
    this.plan.deletions.push(rel);
    if (target.kind === 'dir' && ownerLacksRwx(target.mode)) {
      this.plan.unlocks.push({ rel, mode: target.mode });
    }
  }

  /** Plans an entry missing from the replica, staged under a generated name. */
  private async addEntry(rel: RelPath, source: Entry): Promise<void> {
    if (source.kind === 'file') this.stageFile(rel, source);
    if (source.kind === 'symlink') this.stageSymlink(rel, source);
    if (source.kind === 'dir') await this.stageTree(rel, source);
  }

  private stageFile(rel: RelPath, source: Entry): void {
    const staged = this.nextStagedName('f');
    this.addFile(rel, source, staged);
    this.plan.placements.push({ staged, rel });
  }

  private stageSymlink(rel: RelPath, source: Entry): void {
    const staged = this.nextStagedName('l');
    this.addSymlink(rel, source, staged);
    this.plan.placements.push({ staged, rel });
  }

  private async stageTree(rel: RelPath, source: Entry): Promise<void> {
    const staged = this.nextStagedName('t');
    this.plan.stagedDirs.push({ ...metaUpdateFor(rel, source), staged, isTreeRoot: true });
    this.plan.placements.push({ staged, rel });
    this.plan.dirMeta.push(metaUpdateFor(rel, source));
    await this.addTreeContents(rel, staged);
  }

  /** Plans the contents of a new directory, staged under its real names inside the tree. */
  private async addTreeContents(rel: RelPath, staged: RelPath): Promise<void> {
    throwIfAborted(this.signal);
    const children = await readEntries(this.sourceRoot, rel, 'source');
    for (const [name, entry] of children) {
      this.countScanned(entry);
      const childPath = childRel(rel, name);
      const childStaged = childRel(staged, name);
      if (entry.kind === 'special') this.plan.skippedSpecial.push(childPath);
      if (entry.kind === 'file') this.addFile(childPath, entry, childStaged);
      if (entry.kind === 'symlink') this.addSymlink(childPath, entry, childStaged);
      if (entry.kind === 'dir') {
        const meta = metaUpdateFor(childPath, entry);
        this.plan.stagedDirs.push({ ...meta, staged: childStaged, isTreeRoot: false });
        await this.addTreeContents(childPath, childStaged);
      }
    }
  }

  private addFile(rel: RelPath, source: Entry, staged: RelPath): void {
    this.plan.copies.push({ rel, staged, size: source.size });
    this.plan.bytesToCopy += source.size;
  }

  private addSymlink(rel: RelPath, source: Entry, staged: RelPath): void {
    const target = source.linkTarget as Buffer;
    this.plan.links.push({ rel, staged, target, atimeNs: source.atimeNs, mtimeNs: source.mtimeNs });
  }

  /** Returns a unique top-level staging name: f for files, l for symlinks, t for trees. */
  private nextStagedName(prefix: 'f' | 'l' | 't'): RelPath {
    this.stagedCount++;
    return `${prefix}${String(this.stagedCount).padStart(8, '0')}`;
  }
}
