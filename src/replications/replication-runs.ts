import type { Kysely, Selectable } from 'kysely';
import type { Database, ReplicationRunTable } from '../store/schema.js';

/** One transfer of a replication, as recorded by the runner. */
export interface ReplicationRun {
  id: string;
  state: 'running' | 'succeeded' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  entriesScanned: number;
  filesCopied: number;
  bytesCopied: number;
  entriesDeleted: number;
  filesTotal: number;
  bytesTotal: number;
  filesDone: number;
  bytesDone: number;
  error: string | null;
}

function runFromRow(row: Selectable<ReplicationRunTable>): ReplicationRun {
  return {
    id: row.id,
    state: row.state as ReplicationRun['state'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: Number(row.duration_ms),
    entriesScanned: Number(row.entries_scanned),
    filesCopied: Number(row.files_copied),
    bytesCopied: Number(row.bytes_copied),
    entriesDeleted: Number(row.entries_deleted),
    filesTotal: Number(row.files_total),
    bytesTotal: Number(row.bytes_total),
    filesDone: Number(row.files_done),
    bytesDone: Number(row.bytes_done),
    error: row.error,
  };
}

/** Runs of a replication, newest first. */
export async function listRuns(
  db: Kysely<Database>,
  replicationId: string,
  page: { limit: number; offset: number },
): Promise<{ count: number; runs: ReplicationRun[] }> {
  const base = db.selectFrom('replication_runs').where('replication_id', '=', replicationId);
  const { count } = await base
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'asc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { count: Number(count), runs: rows.map(runFromRow) };
}

/** Returns the running transfer and the newest finished run, each `undefined` when absent. */
export async function latestRuns(
  db: Kysely<Database>,
  replicationId: string,
): Promise<{ current?: ReplicationRun; last?: ReplicationRun }> {
  const newest = (state: 'running' | 'finished') =>
    db
      .selectFrom('replication_runs')
      .selectAll()
      .where('replication_id', '=', replicationId)
      .where('state', state === 'running' ? '=' : '!=', 'running')
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  const [current, last] = await Promise.all([newest('running'), newest('finished')]);
  return { current: current && runFromRow(current), last: last && runFromRow(last) };
}
