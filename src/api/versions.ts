import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { ApiError } from '../errors/api-error.js';

export type ApiVersion = '1.1' | '1.0';

const V10_SUNSET = 'Wed, 31 Dec 2025 00:00:00 GMT';
// SCP publishes no deprecation date for 1.0, only "supported until 2025-12-31"; responses mark it
// deprecated from 2025-01-01, the start of its last supported year.
const V10_DEPRECATED_AT = '@1735689600';

/** Resolves `Scp-Api-Version` (absent means 1.1); unknown or disabled versions are rejected. */
export function negotiateVersion(
  header: string | undefined,
  config: Pick<Config, 'apiV10Enabled'>,
): ApiVersion {
  const supported = supportedVersions(config);
  if (header === undefined || header.trim() === '') return '1.1';
  const match = /^filestorage\s+(1\.[01])$/i.exec(header.trim());
  const version = match?.[1] as ApiVersion | undefined;
  if (version === undefined || !supported.includes(version)) {
    throw new ApiError('UNSUPPORTED_API_VERSION', {
      value: header,
      supported: supported.map((v) => `filestorage ${v}`).join(', '),
    });
  }
  return version;
}

function supportedVersions(config: Pick<Config, 'apiV10Enabled'>): ApiVersion[] {
  return config.apiV10Enabled ? ['1.1', '1.0'] : ['1.1'];
}

/** Adds the RFC 9745 `Deprecation` and RFC 8594 `Sunset` headers to 1.0 responses. */
export function markDeprecated(reply: FastifyReply): void {
  reply.header('Deprecation', V10_DEPRECATED_AT);
  reply.header('Sunset', V10_SUNSET);
}

/** Builds the body of `GET /`: the versions list the official SDK checks before every call. */
export function versionsDocument(baseUrl: string, config: Pick<Config, 'apiV10Enabled'>) {
  const link = [{ href: `${baseUrl}/`, rel: 'self' }];
  const versions = [{ id: 'v1.1', status: 'CURRENT', not_before: '', links: link }];
  if (config.apiV10Enabled) {
    versions.push({ id: 'v1.0', status: 'DEPRECATED', not_before: '2025-12-31', links: link });
  }
  return { versions };
}

/** Rebuilds the origin the client called, for signatures and links. */
export function requestOrigin(
  request: FastifyRequest,
  config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>,
): string {
  if (config.publicBaseUrl) return new URL(config.publicBaseUrl).origin;
  const forwardedProto = config.trustProxy
    ? firstHeader(request.headers['x-forwarded-proto'])
    : undefined;
  const forwardedHost = config.trustProxy
    ? firstHeader(request.headers['x-forwarded-host'])
    : undefined;
  const scheme = forwardedProto?.split(',')[0]?.trim() || 'http';
  const host = forwardedHost?.split(',')[0]?.trim() || request.headers.host || '';
  return `${scheme}://${host}`;
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
