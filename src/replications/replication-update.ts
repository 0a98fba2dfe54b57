import { ApiError } from '../errors/api-error.js';
import { nextRunAt } from '../runner/schedule.js';
import type { Frequency, Replication, ReplicationPolicy } from './replication.js';

/**
 * A SetVolumeReplication request. `frequency` is an alias of `modify_schedule` from a development
 * build of the spec; the empty type, which the Terraform provider may send, applies every field
 * that is not null.
 */
export interface ReplicationUpdate {
  updateType: 'policy' | 'modify_schedule' | 'frequency' | '';
  policy?: ReplicationPolicy | null;
  frequency?: Frequency | null;
  backupRetentionCount?: number | null;
}

export interface ReplicationChanges {
  policy?: ReplicationPolicy;
  frequency?: Frequency;
  backup_retention_count?: number;
  next_run_at?: string | null;
}

/**
 * Computes the row changes of an update. Pausing keeps the schedule (the runner claims nothing
 * while paused, and a running transfer finishes). Resuming and frequency changes take effect
 * from the next tick after `now`; a run that is already due (the baseline or a retry) stays due.
 */
export function planReplicationUpdate(
  replication: Replication,
  update: ReplicationUpdate,
  now: Date,
  timeZone: string,
): ReplicationChanges {
  const fields = selectFields(update);
  const changes: ReplicationChanges = {};
  if (fields.backupRetentionCount != null)
    changes.backup_retention_count = fields.backupRetentionCount;
  if (fields.frequency != null) changes.frequency = fields.frequency;
  if (fields.policy != null) changes.policy = fields.policy;

  const frequency = changes.frequency ?? replication.frequency;
  const resumed = changes.policy === 'use' && replication.policy === 'paused';
  const rescheduled =
    changes.frequency !== undefined && changes.frequency !== replication.frequency;
  if ((resumed || rescheduled) && !isDue(replication, now)) {
    changes.next_run_at = nextRunAt(frequency, now, timeZone).toISOString();
  }
  return changes;
}

function selectFields(update: ReplicationUpdate): Omit<ReplicationUpdate, 'updateType'> {
  switch (update.updateType) {
    case 'policy':
      if (update.policy == null) throw missing('replication_policy');
      return { policy: update.policy };
    case 'modify_schedule':
    case 'frequency':
      if (update.frequency == null && update.backupRetentionCount == null) {
        throw missing('replication_frequency');
      }
      return { frequency: update.frequency, backupRetentionCount: update.backupRetentionCount };
    case '':
      if (
        update.policy == null &&
        update.frequency == null &&
        update.backupRetentionCount == null
      ) {
        throw missing('replication_policy');
      }
      return update;
  }
}

/** Tells whether a run is due: it never succeeded, or its next run time (e.g. a retry) has passed. */
function isDue(replication: Replication, now: Date): boolean {
  if (replication.lastReplicatedAt === null) return true;
  return replication.nextRunAt !== null && new Date(replication.nextRunAt) <= now;
}

function missing(field: string): ApiError {
  return new ApiError('MISSING_FIELD', { field, location: 'body', location_ko: '본문' }, { field });
}
