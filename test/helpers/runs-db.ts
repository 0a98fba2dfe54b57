import path from 'node:path';
import SQLite from 'better-sqlite3';
import { waitFor } from './wait.js';

function withDb<T>(dataDir: string, work: (db: SQLite.Database) => T): T {
  const db = new SQLite(path.join(dataDir, 'scpfs.sqlite'));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Makes a replication's next run due at once instead of at its next scheduled tick. */
export function makeRunDue(dataDir: string, replicationId: string): void {
  withDb(dataDir, (db) =>
    db
      .prepare('update replications set next_run_at = ? where id = ?')
      .run(new Date(0).toISOString(), replicationId),
  );
}

export function countRuns(dataDir: string, replicationId: string, state: string): number {
  return withDb(dataDir, (db) => {
    const row = db
      .prepare('select count(*) as n from replication_runs where replication_id = ? and state = ?')
      .get(replicationId, state) as { n: number };
    return row.n;
  });
}

/** Triggers one more run and waits until it has committed. */
export async function runOnceMore(
  dataDir: string,
  replicationId: string,
  timeoutMs = 120_000,
): Promise<void> {
  const before = countRuns(dataDir, replicationId, 'succeeded');
  makeRunDue(dataDir, replicationId);
  await waitFor(
    async () => (countRuns(dataDir, replicationId, 'succeeded') > before ? true : undefined),
    'next run committed',
    timeoutMs,
  );
}
