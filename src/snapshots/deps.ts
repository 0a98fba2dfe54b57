import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import type { EngineHooks } from '../dataplane/hooks.js';
import type { RegionStorage } from '../regions/region-storage.js';
import type { Database } from '../store/schema.js';

/** Dependencies of snapshot work, all of which the job runner's JobDeps provides. */
export interface SnapshotDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'timeZone'>;
  clock: Clock;
  logger: Logger;
  regions: RegionStorage;
  /**
   * Id of this runner process. A row that a caller captures or removes inline carries it in
   * `job_owner`, so the tick leaves the row alone while this process lives.
   */
  owner: string;
  /**
   * Fault-injection hooks for the runner's own captures, restores and copies into new volumes;
   * tests only. captureRetainedCopy never uses them, so backup runs see only their own hooks.
   */
  engineHooks?: EngineHooks;
}
