/** Failure kinds of the admin commands, with the values each message names. */
export interface AdminErrorParams {
  DATA_DIR_NOT_INITIALIZED: { dataDir: string; file: string };
  MASTER_KEY_MISSING: { file: string };
  INVALID_ACCOUNT_NAME: { value: string };
  INVALID_ACCOUNT_ID: { value: string };
  ACCOUNT_NAME_TAKEN: { name: string };
  ACCOUNT_ID_TAKEN: { id: string };
  ACCOUNT_NOT_FOUND: { id: string };
  INVALID_ACTION: { value: string; operations: string };
  ACCESS_KEY_NOT_FOUND: { accessKey: string };
}

export type AdminErrorCode = keyof AdminErrorParams;

/** An admin failure with a stable code, which the CLI turns into a localized message. */
export class AdminError<C extends AdminErrorCode = AdminErrorCode> extends Error {
  constructor(
    readonly code: C,
    readonly params: AdminErrorParams[C],
    options?: ErrorOptions,
  ) {
    super(`${code} ${JSON.stringify(params)}`, options);
    this.name = 'AdminError';
  }
}
