import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { SecretBox } from '../auth/secrets.js';
import { migrateToLatest, openSqlite } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { AdminError } from './admin-error.js';

/** The database file that openSqlite opens inside the data directory. */
const DATABASE_FILE = 'scpfs.sqlite';
/** The master key file that SecretBox.openInDataDir reads. */
const MASTER_KEY_FILE = 'master.key';

/**
 * Opens the database and master key of a data directory that a server has initialized, and
 * applies pending migrations. Unlike the server, it creates neither file. A mistyped --data-dir
 * would otherwise get keys that no server reads, and a new master key could not open the secret
 * keys already stored.
 */
export async function openDataDir(
  dataDir: string,
): Promise<{ db: Kysely<Database>; box: SecretBox }> {
  const databaseFile = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(databaseFile)) {
    throw new AdminError('DATA_DIR_NOT_INITIALIZED', { dataDir, file: databaseFile });
  }
  const masterKeyFile = path.join(dataDir, MASTER_KEY_FILE);
  if (!existsSync(masterKeyFile))
    throw new AdminError('MASTER_KEY_MISSING', { file: masterKeyFile });

  const box = SecretBox.openInDataDir(dataDir);
  const db = openSqlite(dataDir);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, box };
}
