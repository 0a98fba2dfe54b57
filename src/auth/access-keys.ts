import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AccessKeyTable, Database } from '../store/schema.js';
import type { SecretBox } from './secrets.js';

/** An access key as administrators see it: everything but the secret key. */
export interface AccessKeyInfo {
  accessKey: string;
  accountId: string;
  allowedActions: string[];
  disabled: boolean;
  createdAt: string;
}

/** An access key with its opened secret key, as request authentication needs it. */
export interface StoredAccessKey {
  accessKey: string;
  accountId: string;
  secretKey: string;
  allowedActions: string[];
  disabled: boolean;
}

/** A key to store: the pair, its account and its policy. */
export type NewAccessKey = Omit<StoredAccessKey, 'disabled'>;

type InfoRow = Omit<Selectable<AccessKeyTable>, 'secret_sealed'>;

const INFO_COLUMNS = ['access_key', 'account_id', 'policy', 'disabled', 'created_at'] as const;

/** Access keys, with secret keys sealed at rest by the SecretBox. */
export class AccessKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /** Finds a key and opens its secret key. Throws SecretOpenError when master.key cannot open it. */
  async find(accessKey: string): Promise<StoredAccessKey | undefined> {
    const row = await this.db
      .selectFrom('access_keys')
      .selectAll()
      .where('access_key', '=', accessKey)
      .executeTakeFirst();
    if (!row) return undefined;
    const info = infoFromRow(row);
    return {
      accessKey: info.accessKey,
      accountId: info.accountId,
      secretKey: this.box.open(row.secret_sealed),
      allowedActions: info.allowedActions,
      disabled: info.disabled,
    };
  }

  /** Lists keys, of one account or of all, oldest first, without reading any secret. */
  async list(accountId?: string): Promise<AccessKeyInfo[]> {
    let query = this.db.selectFrom('access_keys').select(INFO_COLUMNS);
    if (accountId !== undefined) query = query.where('account_id', '=', accountId);
    const rows = await query.orderBy('created_at').orderBy('access_key').execute();
    return rows.map(infoFromRow);
  }

  /** Inserts a new enabled key. Fails when the access key id already exists. */
  async insert(key: NewAccessKey, now: string): Promise<AccessKeyInfo> {
    await this.db
      .insertInto('access_keys')
      .values({ access_key: key.accessKey, created_at: now, disabled: 0, ...this.#sealed(key) })
      .execute();
    return { ...publicPart(key), disabled: false, createdAt: now };
  }

  /**
   * Inserts a key or replaces the secret and policy of an existing one. An existing key keeps its
   * disabled flag, so restarting the server does not re-enable a root key that an admin disabled.
   */
  async upsert(key: NewAccessKey, now: string): Promise<void> {
    const values = this.#sealed(key);
    await this.db
      .insertInto('access_keys')
      .values({ access_key: key.accessKey, created_at: now, disabled: 0, ...values })
      .onConflict((oc) => oc.column('access_key').doUpdateSet(values))
      .execute();
  }

  /** Sets the disabled flag and returns the updated key, or undefined when the key does not exist. */
  async setDisabled(accessKey: string, disabled: boolean): Promise<AccessKeyInfo | undefined> {
    const row = await this.db
      .updateTable('access_keys')
      .set({ disabled: disabled ? 1 : 0 })
      .where('access_key', '=', accessKey)
      .returning(INFO_COLUMNS)
      .executeTakeFirst();
    return row ? infoFromRow(row) : undefined;
  }

  #sealed(key: NewAccessKey) {
    return {
      account_id: key.accountId,
      secret_sealed: this.box.seal(key.secretKey),
      policy: JSON.stringify(key.allowedActions),
    };
  }
}

function infoFromRow(row: InfoRow): AccessKeyInfo {
  return {
    accessKey: row.access_key,
    accountId: row.account_id,
    allowedActions: JSON.parse(row.policy) as string[],
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  };
}

function publicPart(key: NewAccessKey): Omit<AccessKeyInfo, 'disabled' | 'createdAt'> {
  return { accessKey: key.accessKey, accountId: key.accountId, allowedActions: key.allowedActions };
}

/** Generates an access key id and a secret key. */
export function generateKeyPair(): { accessKey: string; secretKey: string } {
  return {
    accessKey: `AK${randomBytes(12).toString('hex').toUpperCase()}`,
    secretKey: randomBytes(30).toString('base64url'),
  };
}
