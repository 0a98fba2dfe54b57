import { AdminError, type AdminErrorCode } from '../../admin/admin-error.js';
import { AdminService } from '../../admin/admin-service.js';
import type { AccessKeyInfo } from '../../auth/access-keys.js';
import { CliError } from '../errors.js';
import type { MessageKey } from '../messages.js';
import { renderKeyValues } from '../render.js';
import type { Session } from '../session.js';
import { renderList } from './deps.js';

const ADMIN_ERROR_KEYS: Record<AdminErrorCode, MessageKey> = {
  DATA_DIR_NOT_INITIALIZED: 'error.adminDataDirNotInitialized',
  MASTER_KEY_MISSING: 'error.adminMasterKeyMissing',
  INVALID_ACCOUNT_NAME: 'error.adminInvalidAccountName',
  INVALID_ACCOUNT_ID: 'error.adminInvalidAccountId',
  ACCOUNT_NAME_TAKEN: 'error.adminAccountNameTaken',
  ACCOUNT_ID_TAKEN: 'error.adminAccountIdTaken',
  ACCOUNT_NOT_FOUND: 'error.adminAccountNotFound',
  INVALID_ACTION: 'error.adminInvalidAction',
  ACCESS_KEY_NOT_FOUND: 'error.adminAccessKeyNotFound',
};

/** Opens the session's data directory, runs `work` and closes it, with localized errors. */
export async function withAdmin<T>(
  session: Session,
  work: (admin: AdminService) => Promise<T>,
): Promise<T> {
  const now = () => new Date(session.context.now());
  const admin = await localizeErrors(() => AdminService.open(session.dataDir, now));
  try {
    return await localizeErrors(() => work(admin));
  } finally {
    await admin.close();
  }
}

async function localizeErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AdminError)) throw err;
    const { code, params } = err as AdminError;
    throw new CliError(ADMIN_ERROR_KEYS[code], params, { cause: err });
  }
}

/** Prints one record: labelled lines in table format, one JSON object in json format. */
export function printRecord(session: Session, record: Record<string, unknown>): void {
  if (session.format === 'json') {
    session.printLine(JSON.stringify(record));
    return;
  }
  const { messages } = session;
  const entries = Object.entries(record).map(([field, value]): [string, unknown] => [
    messages.fieldLabel(field),
    value,
  ]);
  session.printLine(renderKeyValues(entries));
}

/** Prints rows as a table with a total, or as `{"count": n, "<listField>": [...]}` in json. */
export function printRecords(
  session: Session,
  listField: string,
  columns: readonly string[],
  rows: Record<string, unknown>[],
): void {
  if (session.format === 'json') {
    session.printLine(JSON.stringify({ count: rows.length, [listField]: rows }));
    return;
  }
  session.printLine(renderList(session, columns, rows, rows.length));
}

/** Maps an access key to the fields that admins see. The secret key is never one of them. */
export function accessKeyRecord(key: AccessKeyInfo): Record<string, unknown> {
  return {
    access_key: key.accessKey,
    account_id: key.accountId,
    allowed_actions: key.allowedActions,
    disabled: key.disabled,
    created_at: key.createdAt,
  };
}
