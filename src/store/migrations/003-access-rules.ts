import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('volume_access_rules')
    .addColumn('volume_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('object_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('object_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addPrimaryKeyConstraint('volume_access_rules_pk', ['volume_id', 'object_type', 'object_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('volume_access_rules').execute();
}
