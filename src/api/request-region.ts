import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import type { RegionStorage } from '../regions/region-storage.js';
import { firstHeader } from './versions.js';

/**
 * Picks the region a request creates volumes in. SCP serves each region at its own endpoint
 * (`filestorage.<region>.…`), so a Host header with a configured region as one of its labels
 * selects it; the `X-Scpfs-Region` extension header overrides that; otherwise the first
 * configured region.
 */
export function requestRegion(request: FastifyRequest, regions: RegionStorage): string {
  const explicit = firstHeader(request.headers['x-scpfs-region'])?.trim();
  if (explicit) {
    if (!regions.has(explicit)) {
      throw new ApiError('UNKNOWN_REGION', {
        region: explicit,
        allowed: regions.regionNames.join(', '),
      });
    }
    return explicit;
  }
  const hostLabels = (request.headers.host ?? '').split(':')[0]!.split('.');
  return hostLabels.find((label) => regions.has(label)) ?? regions.regionNames[0]!;
}
