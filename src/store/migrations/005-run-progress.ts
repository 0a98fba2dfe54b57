import type { Kysely } from 'kysely';

/** Progress of a running transfer, written by the runner so any API node can report it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['files_total', 'bytes_total', 'files_done', 'bytes_done', 'duration_ms']) {
    await db.schema
      .alterTable('replication_runs')
      .addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['files_total', 'bytes_total', 'files_done', 'bytes_done', 'duration_ms']) {
    await db.schema.alterTable('replication_runs').dropColumn(column).execute();
  }
}
