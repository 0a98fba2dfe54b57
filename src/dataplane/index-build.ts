import { staleRecord, type IndexRecord } from './index-codec.js';
import { inodeKey } from './link-groups.js';
import type { RecordLog } from './record-log.js';
import { IndexReader, IndexWriter } from './replica-index.js';
import { recordFromFacts, type FileResultRecord, type LinkResultRecord } from './stage-results.js';

/**
 * Writes the index of the new version to `next`: the plan index with each pending file record
 * completed from its staging result, in one pass over all three lists (they are in the same
 * order). A file that vanished becomes a stale marker. A hard link gets its leader's record,
 * which comes earlier in the index. Returns the new index's digest.
 */
export async function buildIndex(
  planIndex: Buffer,
  next: Buffer,
  fileResults: RecordLog<FileResultRecord>,
  linkResults: RecordLog<LinkResultRecord>,
  fsync: boolean,
): Promise<string> {
  const reader = await IndexReader.open(planIndex);
  const writer = await IndexWriter.create(next, reader.root);
  try {
    const completer = new RecordCompleter(fileResults.read(), linkResults.read());
    for (
      let block = await reader.nextBlock();
      block !== undefined;
      block = await reader.nextBlock()
    ) {
      const records: IndexRecord[] = [];
      for (const record of block.records) records.push(await completer.complete(record));
      await writer.writeBlock(block.dir, records);
    }
    return await writer.finish(fsync);
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await reader.close();
  }
}

/** Completes pending records from the result lists, which are in record order. */
class RecordCompleter {
  /**
   * Final records of multi-link inodes met so far, by the source inode planned, with the number
   * of links not met yet. A group is dropped once all its links were met.
   */
  readonly #groups = new Map<string, { record: IndexRecord; unseen: number }>();

  constructor(
    private readonly files: AsyncIterator<FileResultRecord>,
    private readonly links: AsyncIterator<LinkResultRecord>,
  ) {}

  async complete(record: IndexRecord): Promise<IndexRecord> {
    const done = await this.#completed(record);
    const linkedFile = record.kind === 'file' && record.nlink > 1 && record.pending?.link !== true;
    if (linkedFile) this.#countLink(record, done);
    return done;
  }

  /**
   * Counts a complete record of a multi-link file: the first one met of its inode becomes the
   * group's record. A later one, a link the plan found already in place, is only counted.
   */
  #countLink(record: IndexRecord, done: IndexRecord): void {
    if (this.#leaderOf(record) !== undefined) return;
    this.#groups.set(inodeKey(record), { record: done, unseen: record.nlink - 1 });
  }

  async #completed(record: IndexRecord): Promise<IndexRecord> {
    const pending = record.pending;
    if (pending === undefined) return record;
    if (pending.link) {
      const result = await nextResult(this.links, pending.seq);
      const leader = this.#leaderOf(record);
      if (result.status === 'vanished' || leader?.kind !== 'file') return staleRecord(record.name);
      return { ...leader, name: record.name };
    }
    const result = await nextResult(this.files, pending.seq);
    if (result.facts === undefined) return staleRecord(record.name);
    return recordFromFacts(record.name, result.facts);
  }

  #leaderOf(record: IndexRecord): IndexRecord | undefined {
    const key = inodeKey(record);
    const group = this.#groups.get(key);
    if (group === undefined) return undefined;
    group.unseen--;
    if (group.unseen <= 0) this.#groups.delete(key);
    return group.record;
  }
}

async function nextResult<T extends { seq: number }>(
  results: AsyncIterator<T>,
  seq: number,
): Promise<T> {
  const next = await results.next();
  if (next.done === true || next.value.seq !== seq) {
    throw new Error(`Staging results are out of step with the plan at task ${seq}`);
  }
  return next.value;
}
