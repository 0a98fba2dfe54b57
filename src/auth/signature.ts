import { createHmac, timingSafeEqual } from 'node:crypto';

/** The request parts that the SCP HMAC signature covers. The body and other headers are not signed. */
export interface SignedRequestParts {
  method: string;
  /** Absolute URL as the client called it: scheme, host[:port], raw path and `?` raw query. */
  url: string;
  /** Unix time in milliseconds, as the decimal string sent in `Scp-Timestamp`. */
  timestamp: string;
  accessKey: string;
  /** Value of `Scp-AccountId`; the empty string when the header is absent. */
  accountId: string;
  /** Value of `Scp-ClientType`, `Openapi` from every known client. */
  clientType: string;
}

/**
 * Computes the SCP OpenAPI signature: base64(HMAC-SHA256(secret, METHOD + URL + TIMESTAMP +
 * ACCESS_KEY + ACCOUNT_ID + CLIENT_TYPE)), the plain concatenation the official Go SDK signs.
 */
export function computeSignature(secretKey: string, parts: SignedRequestParts): string {
  const message =
    parts.method.toUpperCase() +
    parts.url +
    parts.timestamp +
    parts.accessKey +
    parts.accountId +
    parts.clientType;
  return createHmac('sha256', Buffer.from(secretKey, 'utf8'))
    .update(message, 'utf8')
    .digest('base64');
}

/** Compares a received signature with the expected one in constant time. */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
