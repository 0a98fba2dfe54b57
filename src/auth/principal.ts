/** The authenticated caller of a request. */
export interface Principal {
  accountId: string;
  accessKey: string;
  /** Allowed IAM actions, e.g. `filestorage:*` or `filestorage:ShowVolume`. */
  allowedActions: string[];
}

/** Tells whether a key policy allows `filestorage:<operation>`. */
export function isActionAllowed(allowedActions: string[], operation: string): boolean {
  const action = `filestorage:${operation}`;
  return allowedActions.some((a) => a === '*' || a === 'filestorage:*' || a === action);
}
