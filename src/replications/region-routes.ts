import type { Config } from '../config/config.js';

/** Disk types that can be replicated; other types have no target region. */
export const REPLICABLE_TYPES = ['HDD', 'SSD'];

export interface RouteQuery {
  sourceRegion?: string | undefined;
  replicationType?: string | undefined;
  typeName?: string | undefined;
}

/**
 * Lists the target regions allowed for a source region, replication type and disk type. With no
 * routes configured, every configured region is a target, the source's own region included.
 * A filter left out matches every route.
 */
export function allowedTargetRegions(
  config: Pick<Config, 'regions' | 'replicationRoutes'>,
  query: RouteQuery,
): string[] {
  if (query.typeName !== undefined && !REPLICABLE_TYPES.includes(query.typeName)) return [];
  if (config.replicationRoutes.length === 0) return config.regions.map((r) => r.name);
  const targets = new Set<string>();
  for (const route of config.replicationRoutes) {
    if (query.sourceRegion !== undefined && route.sourceRegion !== query.sourceRegion) continue;
    if (query.replicationType !== undefined && route.replicationType !== query.replicationType)
      continue;
    if (query.typeName !== undefined && route.typeName !== query.typeName) continue;
    route.targetRegions.forEach((r) => targets.add(r));
  }
  return [...targets].sort();
}
