import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** A tenant. Every volume, replication and access key belongs to exactly one account. */
export interface Account {
  id: string;
  name: string;
  createdAt: string;
}

/** Queries of the `accounts` table. */
export class AccountStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts an account. A taken id or name fails with SQLite's constraint error. */
  async insert(account: Account): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({ id: account.id, name: account.name, created_at: account.createdAt })
      .execute();
  }

  async find(id: string): Promise<Account | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at };
  }

  /** Lists every account, oldest first. */
  async list(): Promise<Account[]> {
    const rows = await this.db
      .selectFrom('accounts')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }
}
