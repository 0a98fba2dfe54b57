import type { FastifyRequest } from 'fastify';
import type { AccessKeyStore } from '../auth/access-keys.js';
import { isActionAllowed, type Principal } from '../auth/principal.js';
import { computeSignature, signaturesMatch } from '../auth/signature.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import { ApiError } from '../errors/api-error.js';
import { firstHeader, requestOrigin } from './versions.js';

const REQUIRED_HEADERS = ['scp-accesskey', 'scp-signature', 'scp-timestamp'];

export interface AuthDeps {
  keys: AccessKeyStore;
  config: Config;
  clock: Clock;
}

/**
 * Verifies the SCP HMAC signature of a request and returns its principal. Each failure has its
 * own 401 code; an `Scp-AccountId` other than the key's account is a 403.
 */
export async function authenticate(request: FastifyRequest, deps: AuthDeps): Promise<Principal> {
  const header = (name: string) => firstHeader(request.headers[name])?.trim() ?? '';
  const missing = REQUIRED_HEADERS.filter((name) => header(name) === '');
  if (missing.length > 0) {
    throw new ApiError('AUTH_MISSING_HEADERS', { headers: missing.map(displayName).join(', ') });
  }
  const accessKey = header('scp-accesskey');
  const timestamp = header('scp-timestamp');
  checkTimestamp(timestamp, deps);

  const key = await deps.keys.find(accessKey);
  if (!key) throw new ApiError('AUTH_UNKNOWN_ACCESS_KEY', { accessKey });
  if (key.disabled) throw new ApiError('AUTH_DISABLED_ACCESS_KEY', { accessKey });

  const accountId = header('scp-accountid');
  const url = requestOrigin(request, deps.config) + request.raw.url;
  const expected = computeSignature(key.secretKey, {
    method: request.method,
    url,
    timestamp,
    accessKey,
    accountId,
    clientType: header('scp-clienttype'),
  });
  if (!signaturesMatch(expected, header('scp-signature'))) {
    throw new ApiError('AUTH_SIGNATURE_MISMATCH', { url });
  }
  if (accountId !== '' && accountId !== key.accountId) {
    throw new ApiError('ACCOUNT_MISMATCH', { accountId });
  }
  return { accountId: key.accountId, accessKey, allowedActions: key.allowedActions };
}

/** Rejects a principal whose key policy does not allow the operation (403 naming the action). */
export function authorize(principal: Principal, operation: string): void {
  if (!isActionAllowed(principal.allowedActions, operation)) {
    throw new ApiError('ACTION_DENIED', { action: `filestorage:${operation}` });
  }
}

function checkTimestamp(timestamp: string, deps: AuthDeps): void {
  if (!/^\d{1,16}$/.test(timestamp))
    throw new ApiError('AUTH_INVALID_TIMESTAMP', { value: timestamp });
  const skew = Math.abs(deps.clock.now().getTime() - Number(timestamp));
  if (skew > deps.config.clockSkewMs) {
    throw new ApiError('AUTH_TIMESTAMP_SKEW', {
      value: timestamp,
      skewSeconds: Math.round(deps.config.clockSkewMs / 1000),
    });
  }
}

function displayName(header: string): string {
  return (
    {
      'scp-accesskey': 'Scp-AccessKey',
      'scp-signature': 'Scp-Signature',
      'scp-timestamp': 'Scp-Timestamp',
    }[header] ?? header
  );
}
