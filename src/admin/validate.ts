import { ALL_ACTIONS, FILESTORAGE_OPERATIONS, isValidAction } from '../auth/actions.js';
import { AdminError } from './admin-error.js';

/** Account names and ids: 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
const ACCOUNT_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkAccountName(value: string): string {
  if (ACCOUNT_TOKEN.test(value)) return value;
  throw new AdminError('INVALID_ACCOUNT_NAME', { value });
}

export function checkAccountId(value: string): string {
  if (ACCOUNT_TOKEN.test(value)) return value;
  throw new AdminError('INVALID_ACCOUNT_ID', { value });
}

/**
 * Checks a key policy and returns it without duplicates. Each entry must be `filestorage:*` or
 * `filestorage:<Operation>`. An empty policy is rejected because the key could do nothing.
 */
export function checkAllowedActions(actions: readonly string[]): string[] {
  if (actions.length === 0) throw invalidAction('');
  const invalid = actions.find((action) => !isValidAction(action));
  if (invalid !== undefined) throw invalidAction(invalid);
  return [...new Set(actions)];
}

function invalidAction(value: string): AdminError {
  return new AdminError('INVALID_ACTION', { value, operations: FILESTORAGE_OPERATIONS.join(', ') });
}

/** Policy of a key created without an explicit one: every File Storage action. */
export const DEFAULT_ALLOWED_ACTIONS: readonly string[] = [ALL_ACTIONS];
