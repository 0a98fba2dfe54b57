import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('access_key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('volumes')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('protocol', 'varchar(8)', (c) => c.notNull())
    .addColumn('type_name', 'varchar(32)', (c) => c.notNull())
    .addColumn('type_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('region', 'varchar(64)', (c) => c.notNull())
    .addColumn('access_level', 'varchar(4)', (c) => c.notNull())
    .addColumn('cifs_password_hash', 'text')
    .addColumn('cifs_id', 'varchar(64)')
    .addColumn('snapshot_id', 'varchar(64)')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('file_unit_recovery_enabled', 'integer', (c) => c.notNull())
    .addColumn('encryption_enabled', 'integer', (c) => c.notNull())
    .addColumn('usage_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('volumes_account_created')
    .on('volumes')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema.createIndex('volumes_state').on('volumes').column('state').execute();

  await db.schema
    .createTable('replications')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id'))
    .addColumn('source_volume_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_volume_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('replication_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('frequency', 'varchar(16)', (c) => c.notNull())
    .addColumn('policy', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('backup_retention_count', 'integer')
    .addColumn('next_run_at', 'varchar(40)')
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_expires_at', 'varchar(40)')
    .addColumn('last_replicated_at', 'varchar(40)')
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  // One replication and one backup per source volume at most; the index makes a race lose with a conflict.
  await db.schema
    .createIndex('replications_source_type')
    .on('replications')
    .columns(['source_volume_id', 'replication_type'])
    .unique()
    .execute();
  await db.schema
    .createIndex('replications_next_run')
    .on('replications')
    .column('next_run_at')
    .execute();

  await db.schema
    .createTable('replication_runs')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('replication_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(40)')
    .addColumn('entries_scanned', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('files_copied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_copied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('entries_deleted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('replication_runs_replication')
    .on('replication_runs')
    .columns(['replication_id', 'started_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['replication_runs', 'replications', 'volumes', 'access_keys', 'accounts']) {
    await db.schema.dropTable(table).execute();
  }
}
