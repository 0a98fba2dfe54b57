import type { Selectable } from 'kysely';
import type { ReplicationTable } from '../store/schema.js';

export type ReplicationType = 'replication' | 'backup';
export type Frequency = '5min' | 'hourly' | 'daily' | 'weekly' | 'monthly';
export type ReplicationPolicy = 'use' | 'paused';

/**
 * Replication status:
 * - `creating`: the baseline transfer has not committed yet;
 * - `replicating`: a scheduled transfer is running;
 * - `available`: idle, the last run committed;
 * - `error`: the last run failed, the runner retries with backoff;
 * - `deleting`: a delete was accepted.
 */
export type ReplicationStatus = 'creating' | 'replicating' | 'available' | 'error' | 'deleting';

export interface Replication {
  id: string;
  accountId: string;
  sourceVolumeId: string;
  targetVolumeId: string;
  type: ReplicationType;
  frequency: Frequency;
  policy: ReplicationPolicy;
  status: ReplicationStatus;
  backupRetentionCount: number | null;
  nextRunAt: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  lastReplicatedAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

export function replicationFromRow(row: Selectable<ReplicationTable>): Replication {
  return {
    id: row.id,
    accountId: row.account_id,
    sourceVolumeId: row.source_volume_id,
    targetVolumeId: row.target_volume_id,
    type: row.replication_type as ReplicationType,
    frequency: row.frequency as Frequency,
    policy: row.policy as ReplicationPolicy,
    status: row.status as ReplicationStatus,
    backupRetentionCount: row.backup_retention_count,
    nextRunAt: row.next_run_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastReplicatedAt: row.last_replicated_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at,
  };
}
