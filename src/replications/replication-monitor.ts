import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors/api-error.js';
import type { Database } from '../store/schema.js';
import { replicationHealth, type ReplicationHealth } from './replication-health.js';
import { updateReplication } from './replication-repository.js';
import { latestRuns, listRuns, type ReplicationRun } from './replication-runs.js';
import type { ReplicationService, ReplicationView } from './replication-service.js';

export interface ReplicationStatusReport {
  view: ReplicationView;
  health: ReplicationHealth;
  lastRun?: ReplicationRun;
  currentRun?: ReplicationRun;
}

/** The scpfs extensions around a replication: status, run history and "replicate now". */
export class ReplicationMonitor {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly replications: ReplicationService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async status(accountId: string, id: string, volumeId: string): Promise<ReplicationStatusReport> {
    const view = await this.replications.show(accountId, id, volumeId);
    const { current, last } = await latestRuns(this.db, id);
    const health = replicationHealth(view.replication, this.clock.now());
    return { view, health, lastRun: last, currentRun: current };
  }

  async runs(
    accountId: string,
    id: string,
    volumeId: string,
    page: { limit: number; offset: number },
  ) {
    await this.replications.show(accountId, id, volumeId);
    return listRuns(this.db, id, page);
  }

  /**
   * Makes the next run due now, like SnapMirror's update. A transfer that is already running
   * finishes first, and the requested run follows it.
   */
  async replicateNow(accountId: string, id: string, volumeId: string): Promise<string> {
    const { replication } = await this.replications.show(accountId, id, volumeId);
    if (replication.status === 'deleting')
      throw new ApiError('REPLICATION_DELETING', { replicationId: id });
    if (replication.policy === 'paused')
      throw new ApiError('REPLICATION_PAUSED', { replicationId: id });
    const now = this.clock.now().toISOString();
    await updateReplication(this.db, id, { next_run_at: now, updated_at: now });
    this.logger.info({ replicationId: id }, 'replication run requested');
    return now;
  }
}
