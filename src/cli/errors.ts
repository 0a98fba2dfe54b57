import { ScpConnectionError, ScpTimeoutError } from './client.js';
import type { MessageKey, MessageParams, Messages } from './messages.js';

/** Error whose text comes from the message catalogue, so it is printed in the user's language. */
export class CliError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    options?: ErrorOptions,
  ) {
    super(`${key} ${JSON.stringify(params)}`, options);
    this.name = 'CliError';
  }
}

/** Response with a status of 300 or above. */
export class ResponseStatusError extends CliError {
  constructor(
    readonly status: number,
    key: MessageKey,
    params: MessageParams,
  ) {
    super(key, params);
    this.name = 'ResponseStatusError';
  }
}

/** Error response in the API's `errors` form, whose `detail` the server has localized. */
export class ApiResponseError extends ResponseStatusError {
  constructor(
    status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(status, 'error.api', { status, code, detail });
    this.name = 'ApiResponseError';
  }
}

/** Formats any error thrown by a command as the one line printed to stderr. */
export function describeError(err: unknown, messages: Messages): string {
  return `${messages.t('error.prefix')}: ${describeCause(err, messages)}`;
}

function describeCause(err: unknown, messages: Messages): string {
  if (err instanceof CliError) return messages.t(err.key, err.params);
  if (err instanceof ScpConnectionError) return describeConnectionError(err, messages);
  if (err instanceof ScpTimeoutError) {
    const seconds = Math.round(err.timeoutMs / 1000);
    return messages.t('error.requestTimeout', { endpoint: err.endpoint, seconds });
  }
  const message = err instanceof Error ? err.message : String(err);
  return messages.t('error.unexpected', { message });
}

function describeConnectionError(err: ScpConnectionError, messages: Messages): string {
  if (err.code === 'ECONNREFUSED') {
    return messages.t('error.connectionRefused', { endpoint: err.endpoint });
  }
  return messages.t('error.connectionFailed', { endpoint: err.endpoint, cause: err.reason });
}
