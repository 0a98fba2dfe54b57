import type { Kysely } from 'kysely';

/** Snapshots of volumes, their schedules and each volume's snapshot policy (retention). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('snapshots')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
    .addColumn('volume_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('region', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('schedule_id', 'varchar(64)')
    .addColumn('size_bytes', 'bigint')
    .addColumn('capture_ctime_ns', 'varchar(32)')
    .addColumn('job_owner', 'varchar(64)')
    .addColumn('error', 'text')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('snapshots_volume_created')
    .on('snapshots')
    .columns(['volume_id', 'created_at'])
    .execute();
  await db.schema.createIndex('snapshots_state').on('snapshots').column('state').execute();

  await db.schema
    .createTable('snapshot_schedules')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
    .addColumn('volume_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('frequency', 'varchar(16)', (c) => c.notNull())
    .addColumn('hour', 'integer', (c) => c.notNull())
    .addColumn('day_of_week', 'varchar(3)')
    .addColumn('next_run_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('last_run_at', 'varchar(40)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('snapshot_schedules_volume')
    .on('snapshot_schedules')
    .column('volume_id')
    .execute();
  await db.schema
    .createIndex('snapshot_schedules_next_run')
    .on('snapshot_schedules')
    .column('next_run_at')
    .execute();

  await db.schema
    .createTable('snapshot_policies')
    .addColumn('volume_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
    .addColumn('retention_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['snapshot_policies', 'snapshot_schedules', 'snapshots']) {
    await db.schema.dropTable(table).execute();
  }
}
