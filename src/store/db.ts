import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as snapshots from './migrations/002-snapshots.js';
import * as accessRules from './migrations/003-access-rules.js';
import * as keys from './migrations/004-keys.js';
import * as runProgress from './migrations/005-run-progress.js';
import type { Database } from './schema.js';

const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-snapshots': snapshots,
  '003-access-rules': accessRules,
  '004-keys': keys,
  '005-run-progress': runProgress,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Opens the SQLite database inside the data directory with WAL journaling. */
export function openSqlite(dataDir: string): Kysely<Database> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(path.join(dataDir, 'scpfs.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Applies every pending schema migration; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`schema migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
