import type { ScpResponse } from '../client.js';
import { CliError, ResponseStatusError } from '../errors.js';
import type { MessageKey } from '../messages.js';
import type { Session } from '../session.js';

/** State reported while waiting for a delete once the resource reads as 404. */
export const GONE = 'deleted';

/** Reads a resource's state from `field`, or GONE once reading it returns 404. */
export async function stateOrGone(
  read: () => Promise<ScpResponse>,
  field: string,
): Promise<string> {
  try {
    const response = await read();
    const value = (response.body as Record<string, unknown> | undefined)?.[field];
    return typeof value === 'string' ? value : '-';
  } catch (err) {
    if (err instanceof ResponseStatusError && err.status === 404) return GONE;
    throw err;
  }
}

/** Builds a wait's timeout error, adding the timeout in seconds to the message parameters. */
export function waitTimeoutError(
  session: Session,
  key: MessageKey,
  params: Record<string, string>,
): CliError {
  return new CliError(key, { ...params, seconds: session.waitTimeoutMs / 1000 });
}
