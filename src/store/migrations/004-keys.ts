import type { Kysely } from 'kysely';

/**
 * Makes account names unique, because the server finds its root account by the name `default`
 * and admins name accounts on the command line, and indexes keys by account for `key list`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('accounts_name').on('accounts').column('name').unique().execute();
  await db.schema
    .createIndex('access_keys_account')
    .on('access_keys')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('access_keys_account').execute();
  await db.schema.dropIndex('accounts_name').execute();
}
