import { createReadStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { TransferError } from './errors.js';
import type { RecordLog } from './record-log.js';
import type { RelPath } from './rel-path.js';
import { fsyncDirectory, type WorkDirLayout } from './workdir.js';
import type { EncodedXattrs } from './xattrs.js';

/**
 * One step of a commit. Every op can be applied again after a crash with the same result, so
 * recovery replays the whole journal from the start:
 * - unlock: chmod a replica directory to mode | 0o700, only while it is a directory.
 * - trash: rename the replica entry into trash/<slot>. A present slot means done. When the entry
 *   is missing, an empty slot directory marks the op done, so that a replay never trashes what a
 *   later op placed at the same path.
 * - place: rename staging/<staged> to the replica path. A missing staged entry means done.
 * - patch: write the blocks of the delta file staging/<delta> into the replica file in place,
 *   then truncate it to `size`. Writing the same blocks again gives the same bytes.
 * - meta: set owner (when given), mode and times (mtime only for symlinks) and, when given, the
 *   exact set of user.* attributes of an entry of the given kind.
 * - index: make the index written for this run (index.next) the current one. `sha256` is
 *   its digest, which the seal written after the commit repeats.
 * Paths are binary strings (see RelPath), which JSON stores as code points 0-255.
 */
export type JournalOp =
  | { op: 'unlock'; path: RelPath; mode: number }
  | { op: 'trash'; path: RelPath; slot: string }
  | { op: 'place'; staged: RelPath; path: RelPath }
  | { op: 'patch'; path: RelPath; delta: RelPath; size: number }
  | MetaOp
  | { op: 'index'; sha256: string };

export interface MetaOp {
  op: 'meta';
  kind: 'file' | 'dir' | 'symlink';
  path: RelPath;
  mode: number;
  atimeNs: string;
  mtimeNs: string;
  uid?: number;
  gid?: number;
  xattrs?: EncodedXattrs;
}

const JOURNAL_FORMAT = 'scpfs-replication-journal';
const JOURNAL_VERSION = 2;
/** Version 1 journals (no patch, index or owner fields) are still replayed. */
const READABLE_VERSIONS = new Set([1, 2]);
const WRITE_CHUNK_BYTES = 256 * 1024;

/**
 * Writes the journal durably from the plan's op logs, in the order given. The final rename is
 * the commit point. A header line carries the op count, so a reader can tell a complete journal
 * from a damaged one.
 */
export async function writeJournal(
  layout: WorkDirLayout,
  sections: ReadonlyArray<RecordLog<JournalOp> | readonly JournalOp[]>,
): Promise<void> {
  const total = sections.reduce((sum, s) => sum + ('count' in s ? s.count : s.length), 0);
  const handle = await open(layout.journalTmp, 'w', 0o600);
  try {
    let chunk = `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, ops: total })}\n`;
    for (const section of sections) {
      for await (const op of 'read' in section ? section.read() : section) {
        chunk += `${JSON.stringify(op)}\n`;
        if (chunk.length < WRITE_CHUNK_BYTES) continue;
        await handle.appendFile(chunk, 'latin1');
        chunk = '';
      }
    }
    await handle.appendFile(chunk, 'latin1');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(layout.journalTmp, layout.journal);
  await fsyncDirectory(layout.root);
}

/**
 * Checks that the committed journal is complete and one this code wrote, then returns its op
 * count. Throws JOURNAL_INVALID otherwise. Reads the whole file without keeping it in memory.
 */
export async function verifyJournal(layout: WorkDirLayout): Promise<number> {
  let expected: number | undefined;
  let ops = 0;
  for await (const line of journalLines(layout)) {
    const parsed = parseLine(line) as { format?: unknown; version?: unknown; ops?: unknown };
    if (expected !== undefined) {
      ops++;
      continue;
    }
    const valid =
      parsed.format === JOURNAL_FORMAT &&
      READABLE_VERSIONS.has(parsed.version as number) &&
      typeof parsed.ops === 'number';
    if (!valid) throw invalidJournal(layout, 'the header is not one this version writes');
    expected = parsed.ops as number;
  }
  if (expected !== ops) throw invalidJournal(layout, 'the header does not match the op count');
  return ops;
}

/** Yields the ops of a journal that verifyJournal accepted. */
export async function* readJournalOps(layout: WorkDirLayout): AsyncGenerator<JournalOp> {
  let header = true;
  for await (const line of journalLines(layout)) {
    if (header) {
      header = false;
      continue;
    }
    yield parseLine(line) as JournalOp;
  }
}

/** Reads a committed journal into memory; throws JOURNAL_INVALID when it is damaged. */
export async function readJournal(layout: WorkDirLayout): Promise<JournalOp[]> {
  await verifyJournal(layout);
  const ops: JournalOp[] = [];
  for await (const op of readJournalOps(layout)) ops.push(op);
  return ops;
}

async function* journalLines(layout: WorkDirLayout): AsyncGenerator<string> {
  const lines = createInterface({
    input: createReadStream(layout.journal, { encoding: 'latin1' }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line !== '') yield line;
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
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
