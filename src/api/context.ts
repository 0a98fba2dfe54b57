import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AccessKeyStore } from '../auth/access-keys.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import type { Locale } from '../i18n/locale.js';
import type { RegionStorage } from '../regions/region-storage.js';
import type { ReplicationService } from '../replications/replication-service.js';
import type { ReplicationMonitor } from '../replications/replication-monitor.js';
import type { ReplicationMetrics } from '../metrics.js';
import type { SnapshotScheduleService } from '../snapshots/schedule-service.js';
import type { SnapshotService } from '../snapshots/snapshot-service.js';
import type { Database } from '../store/schema.js';
import type { AccessRuleService } from '../volumes/access-rule-service.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { ApiVersion } from './versions.js';

/** Everything the API layer needs, built once by the composition root. */
export interface ApiDeps {
  config: Config;
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  keys: AccessKeyStore;
  regions: RegionStorage;
  volumes: VolumeService;
  accessRules: AccessRuleService;
  snapshots: SnapshotService;
  snapshotSchedules: SnapshotScheduleService;
  replications: ReplicationService;
  monitor: ReplicationMonitor;
  metrics: ReplicationMetrics;
}

/** Per-request state set by the hooks before a handler runs. */
export interface ScpRequestState {
  locale: Locale;
  version: ApiVersion;
  principal?: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    scp: ScpRequestState;
  }
  interface FastifyContextConfig {
    /** SCP operation name; the IAM action checked is `filestorage:<operation>`. */
    operation?: string;
    /** Routes that need no signature, such as version discovery. */
    public?: boolean;
  }
}

/** Returns the authenticated principal; routes behind the auth hook always have one. */
export function principalOf(request: { scp: ScpRequestState }): Principal {
  const principal = request.scp.principal;
  if (!principal) throw new Error('route reached without an authenticated principal');
  return principal;
}
