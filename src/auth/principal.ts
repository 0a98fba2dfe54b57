import { ALL_ACTIONS, actionOf } from './actions.js';

/** The authenticated caller of a request. */
export interface Principal {
  accountId: string;
  accessKey: string;
  /** Allowed IAM actions, e.g. `filestorage:*` or `filestorage:ShowVolume`. */
  allowedActions: string[];
}

/** Tells whether a key policy allows `filestorage:<operation>`. */
export function isActionAllowed(allowedActions: string[], operation: string): boolean {
  const action = actionOf(operation);
  return allowedActions.some((allowed) => allowed === ALL_ACTIONS || allowed === action);
}
