import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { SecretBox } from './secrets.js';

export interface StoredAccessKey {
  accessKey: string;
  accountId: string;
  secretKey: string;
  allowedActions: string[];
  disabled: boolean;
}

/** Access keys, with secret keys sealed at rest by the SecretBox. */
export class AccessKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async find(accessKey: string): Promise<StoredAccessKey | undefined> {
    const row = await this.db
      .selectFrom('access_keys')
      .selectAll()
      .where('access_key', '=', accessKey)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accessKey: row.access_key,
      accountId: row.account_id,
      secretKey: this.box.open(row.secret_sealed),
      allowedActions: JSON.parse(row.policy) as string[],
      disabled: row.disabled === 1,
    };
  }

  /** Inserts a key or replaces the secret and policy of an existing one. */
  async upsert(key: Omit<StoredAccessKey, 'disabled'>, now: string): Promise<void> {
    const values = {
      account_id: key.accountId,
      secret_sealed: this.box.seal(key.secretKey),
      policy: JSON.stringify(key.allowedActions),
      disabled: 0,
    };
    await this.db
      .insertInto('access_keys')
      .values({ access_key: key.accessKey, created_at: now, ...values })
      .onConflict((oc) => oc.column('access_key').doUpdateSet(values))
      .execute();
  }
}

/** Generates an access key id and a secret key. */
export function generateKeyPair(): { accessKey: string; secretKey: string } {
  return {
    accessKey: `AK${randomBytes(12).toString('hex').toUpperCase()}`,
    secretKey: randomBytes(30).toString('base64url'),
  };
}
