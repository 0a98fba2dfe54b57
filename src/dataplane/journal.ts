import { open, readFile, rename } from 'node:fs/promises';
import { TransferError } from './errors.js';
import type { MetaUpdate, Plan } from './plan.js';
import { relDepth, type RelPath } from './rel-path.js';
import { fsyncDirectory, type WorkDirLayout } from './workdir.js';

/**
 * One step of a commit. Every op can be applied again after a crash with the same result, so
 * recovery replays the whole journal from the start:
 * - unlock: chmod a replica directory to mode | 0o700, only while it is a directory.
 * - trash: rename the replica entry into trash/<slot>. A present slot means done. When the entry
 *   is missing, an empty slot directory marks the op done, so that a replay never trashes what a
 *   later op placed at the same path.
 * - place: rename staging/<staged> to the replica path. A missing staged entry means done.
 * - meta: set mode and times (mtime only for symlinks) on an entry of the given kind.
 * Paths are binary strings (see RelPath), which JSON stores as code points 0-255.
 */
export type JournalOp =
  | { op: 'unlock'; path: RelPath; mode: number }
  | { op: 'trash'; path: RelPath; slot: string }
  | { op: 'place'; staged: RelPath; path: RelPath }
  | {
      op: 'meta';
      kind: MetaUpdate['kind'];
      path: RelPath;
      mode: number;
      atimeNs: string;
      mtimeNs: string;
    };

const JOURNAL_FORMAT = 'scpfs-replication-journal';
const JOURNAL_VERSION = 1;

/**
 * Orders a plan's replica changes into journal ops: unlocks, deletions, placements, file and
 * symlink metadata, then directory metadata deepest first so that the root comes last.
 * Placements of files that vanished from the source before staging are left out.
 */
export function buildJournalOps(plan: Plan, vanished: ReadonlySet<RelPath>): JournalOp[] {
  const ops: JournalOp[] = [];
  for (const unlock of plan.unlocks)
    ops.push({ op: 'unlock', path: unlock.rel, mode: unlock.mode });
  plan.deletions.forEach((rel, i) => ops.push({ op: 'trash', path: rel, slot: String(i) }));
  for (const placement of plan.placements) {
    if (vanished.has(placement.staged)) continue;
    ops.push({ op: 'place', staged: placement.staged, path: placement.rel });
  }
  for (const update of plan.entryMeta) ops.push(metaOp(update));
  const dirsDeepestFirst = [...plan.dirMeta].sort((a, b) => relDepth(b.rel) - relDepth(a.rel));
  for (const update of dirsDeepestFirst) ops.push(metaOp(update));
  return ops;
}

function metaOp(update: MetaUpdate): JournalOp {
  return {
    op: 'meta',
    kind: update.kind,
    path: update.rel,
    mode: update.mode,
    atimeNs: update.atimeNs.toString(),
    mtimeNs: update.mtimeNs.toString(),
  };
}

/**
 * Writes the journal durably; the final rename is the commit point. A header line carries the op
 * count, so a reader can tell a complete journal from a damaged one.
 */
export async function writeJournal(
  layout: WorkDirLayout,
  ops: readonly JournalOp[],
): Promise<void> {
  const header = JSON.stringify({
    format: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    ops: ops.length,
  });
  const lines = [header, ...ops.map((op) => JSON.stringify(op))];
  const handle = await open(layout.journalTmp, 'w', 0o600);
  try {
    await handle.writeFile(`${lines.join('\n')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(layout.journalTmp, layout.journal);
  await fsyncDirectory(layout.root);
}

/** Reads a committed journal; throws JOURNAL_INVALID when it is not one this code wrote. */
export async function readJournal(layout: WorkDirLayout): Promise<JournalOp[]> {
  const text = await readFile(layout.journal, 'utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  const header = parseLine(lines[0]) as { format?: unknown; version?: unknown; ops?: unknown };
  const valid =
    header.format === JOURNAL_FORMAT &&
    header.version === JOURNAL_VERSION &&
    header.ops === lines.length - 1;
  if (!valid) throw invalidJournal(layout, 'the header does not match the op count or format');
  return lines.slice(1).map((line) => parseLine(line) as JournalOp);
}

function parseLine(line: string | undefined): unknown {
  try {
    return JSON.parse(line ?? '');
  } catch (error) {
    throw new TransferError(
      'JOURNAL_INVALID',
      'The commit journal contains a line that is not JSON',
      {
        cause: error,
      },
    );
  }
}

function invalidJournal(layout: WorkDirLayout, reason: string): TransferError {
  return new TransferError(
    'JOURNAL_INVALID',
    `The commit journal ${layout.journal.toString()} is invalid: ${reason}; the replica needs a manual check`,
  );
}
