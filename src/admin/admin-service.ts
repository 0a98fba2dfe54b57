import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AccessKeyStore, generateKeyPair, type AccessKeyInfo } from '../auth/access-keys.js';
import type { Database } from '../store/schema.js';
import { AdminError } from './admin-error.js';
import { AccountStore, type Account } from './accounts.js';
import { openDataDir } from './data-dir.js';
import {
  DEFAULT_ALLOWED_ACTIONS,
  checkAccountId,
  checkAccountName,
  checkAllowedActions,
} from './validate.js';

/** A newly created key, the only time its secret key is available in plain text. */
export interface CreatedAccessKey extends AccessKeyInfo {
  secretKey: string;
}

export interface CreateKeyInput {
  accountId: string;
  /** Allowed IAM actions, or every File Storage action when undefined. */
  allowedActions?: readonly string[];
}

/**
 * Account and access key administration directly on a data directory, without a server. It can
 * run while a server uses the same directory. SQLite admits one writer at a time, openSqlite's
 * busy timeout makes the other writer wait up to 5 s, and WAL mode keeps readers unblocked. The
 * server reads keys on every request, so a change applies from the next request.
 */
export class AdminService {
  readonly #db: Kysely<Database>;
  readonly #accounts: AccountStore;
  readonly #keys: AccessKeyStore;
  readonly #now: () => Date;

  private constructor(db: Kysely<Database>, keys: AccessKeyStore, now: () => Date) {
    this.#db = db;
    this.#accounts = new AccountStore(db);
    this.#keys = keys;
    this.#now = now;
  }

  /** Opens a data directory that a server has initialized, as openDataDir checks. */
  static async open(dataDir: string, now: () => Date = () => new Date()): Promise<AdminService> {
    const { db, box } = await openDataDir(dataDir);
    return new AdminService(db, new AccessKeyStore(db, box), now);
  }

  /** Creates an account with a random id unless `id` is given. Names and ids are unique. */
  async createAccount(input: { name: string; id?: string }): Promise<Account> {
    const account = {
      id: input.id === undefined ? randomBytes(16).toString('hex') : checkAccountId(input.id),
      name: checkAccountName(input.name),
      createdAt: this.#now().toISOString(),
    };
    try {
      await this.#accounts.insert(account);
    } catch (err) {
      throw accountConflict(err, account) ?? err;
    }
    return account;
  }

  listAccounts(): Promise<Account[]> {
    return this.#accounts.list();
  }

  /** Creates a key for an existing account and returns it with its secret key. */
  async createKey(input: CreateKeyInput): Promise<CreatedAccessKey> {
    const allowedActions = checkAllowedActions(input.allowedActions ?? DEFAULT_ALLOWED_ACTIONS);
    await this.#requireAccount(input.accountId);
    const pair = generateKeyPair();
    const key = { ...pair, accountId: input.accountId, allowedActions };
    const info = await this.#keys.insert(key, this.#now().toISOString());
    return { ...info, secretKey: pair.secretKey };
  }

  /** Lists the keys of one account, or of all accounts, without their secret keys. */
  async listKeys(accountId?: string): Promise<AccessKeyInfo[]> {
    if (accountId !== undefined) await this.#requireAccount(accountId);
    return this.#keys.list(accountId);
  }

  /** Disables or enables a key. Repeating the same change succeeds. */
  async setKeyDisabled(accessKey: string, disabled: boolean): Promise<AccessKeyInfo> {
    const key = await this.#keys.setDisabled(accessKey, disabled);
    if (!key) throw new AdminError('ACCESS_KEY_NOT_FOUND', { accessKey });
    return key;
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  async #requireAccount(id: string): Promise<void> {
    if (!(await this.#accounts.find(id))) throw new AdminError('ACCOUNT_NOT_FOUND', { id });
  }
}

/** Maps SQLite's constraint error on `accounts` to the taken id or name. */
function accountConflict(err: unknown, account: Account): AdminError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AdminError('ACCOUNT_ID_TAKEN', { id: account.id }, { cause: err });
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new AdminError('ACCOUNT_NAME_TAKEN', { name: account.name }, { cause: err });
  }
  return undefined;
}
