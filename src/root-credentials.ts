import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { generateKeyPair, type AccessKeyStore } from './auth/access-keys.js';
import type { Database } from './store/schema.js';

export interface RootCredentials {
  accountId: string;
  accessKey: string;
  secretKey: string;
  /** True when this start generated the pair, so it is printed once. */
  generated: boolean;
}

export const CREDENTIALS_FILE = 'credentials.json';
const ROOT_ACCOUNT_NAME = 'default';

/**
 * Ensures the default account and its root key, which may do everything. The pair comes from
 * SCPFS_ROOT_ACCESS_KEY / SCPFS_ROOT_SECRET_KEY when both are set, else from credentials.json in
 * the data directory, else it is generated and written there with mode 0600.
 */
export async function ensureRootCredentials(
  db: Kysely<Database>,
  keys: AccessKeyStore,
  dataDir: string,
  fromEnv: { accessKey: string | undefined; secretKey: string | undefined },
  now: string,
): Promise<RootCredentials> {
  const accountId = await ensureRootAccount(db, now);
  const file = path.join(dataDir, CREDENTIALS_FILE);
  let pair: { accessKey: string; secretKey: string };
  let generated = false;
  if (fromEnv.accessKey && fromEnv.secretKey) {
    pair = { accessKey: fromEnv.accessKey, secretKey: fromEnv.secretKey };
  } else if (existsSync(file)) {
    pair = readCredentialsFile(file);
  } else {
    pair = generateKeyPair();
    writeFileSync(
      file,
      JSON.stringify({ access_key: pair.accessKey, secret_key: pair.secretKey }, null, 2) + '\n',
      {
        mode: 0o600,
        flag: 'wx',
      },
    );
    generated = true;
  }
  await keys.upsert({ ...pair, accountId, allowedActions: ['filestorage:*'] }, now);
  return { accountId, ...pair, generated };
}

async function ensureRootAccount(db: Kysely<Database>, now: string): Promise<string> {
  const existing = await db
    .selectFrom('accounts')
    .select('id')
    .where('name', '=', ROOT_ACCOUNT_NAME)
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = randomBytes(16).toString('hex');
  await db
    .insertInto('accounts')
    .values({ id, name: ROOT_ACCOUNT_NAME, created_at: now })
    .execute();
  return id;
}

export function readCredentialsFile(file: string): { accessKey: string; secretKey: string } {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    access_key?: string;
    secret_key?: string;
  };
  if (!parsed.access_key || !parsed.secret_key) {
    throw new Error(`${file} must contain access_key and secret_key`);
  }
  return { accessKey: parsed.access_key, secretKey: parsed.secret_key };
}
