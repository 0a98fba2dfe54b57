import type { Generated } from 'kysely';

/** Table row types. Times are RFC 3339 strings in UTC; booleans are 0/1 integers. */
export interface Database {
  accounts: AccountTable;
  access_keys: AccessKeyTable;
  volumes: VolumeTable;
  replications: ReplicationTable;
  replication_runs: ReplicationRunTable;
  volume_access_rules: VolumeAccessRuleTable;
  snapshots: SnapshotTable;
  snapshot_schedules: SnapshotScheduleTable;
  snapshot_policies: SnapshotPolicyTable;
}

export interface AccountTable {
  id: string;
  name: string;
  created_at: string;
}

export interface AccessKeyTable {
  access_key: string;
  account_id: string;
  /** Secret key sealed with the data directory's master key (AES-256-GCM), never plain. */
  secret_sealed: string;
  /** JSON array of allowed IAM actions, e.g. ["filestorage:*"]. */
  policy: string;
  disabled: number;
  created_at: string;
}

export interface VolumeTable {
  id: string;
  account_id: string;
  name: string;
  protocol: string;
  type_name: string;
  type_id: string;
  state: string;
  purpose: string;
  region: string;
  access_level: string;
  /** scrypt hash of the CIFS password, `null` for NFS volumes. */
  cifs_password_hash: string | null;
  cifs_id: string | null;
  snapshot_id: string | null;
  tags: string;
  file_unit_recovery_enabled: number;
  encryption_enabled: number;
  usage_bytes: number;
  created_at: string;
  updated_at: string;
}

export interface ReplicationTable {
  id: string;
  account_id: string;
  source_volume_id: string;
  target_volume_id: string;
  replication_type: string;
  frequency: string;
  policy: string;
  status: string;
  backup_retention_count: number | null;
  next_run_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_replicated_at: string | null;
  last_error: string | null;
  consecutive_failures: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ReplicationRunTable {
  id: string;
  replication_id: string;
  state: string;
  started_at: string;
  finished_at: string | null;
  entries_scanned: Generated<number>;
  files_copied: Generated<number>;
  bytes_copied: Generated<number>;
  entries_deleted: Generated<number>;
  files_total: Generated<number>;
  bytes_total: Generated<number>;
  files_done: Generated<number>;
  bytes_done: Generated<number>;
  duration_ms: Generated<number>;
  error: string | null;
}

export interface VolumeAccessRuleTable {
  volume_id: string;
  /** VM, BM, GPU, GPU_NODE or ENDPOINT. */
  object_type: string;
  object_id: string;
  /** `active` once added. */
  state: string;
  created_at: string;
}

export interface SnapshotTable {
  id: string;
  account_id: string;
  volume_id: string;
  /** Region of the volume; the snapshot's files live under that region's root. */
  region: string;
  name: string;
  /** `manual`, `scheduled` or `backup`: which retention rule, if any, may remove it. */
  kind: string;
  state: string;
  /** Schedule that took a `scheduled` snapshot; kept after the schedule is deleted. */
  schedule_id: string | null;
  /** Sum of the regular file sizes in bytes, `null` until the capture finishes. */
  size_bytes: number | null;
  /** ctime in ns (decimal) of the snapshot root when the capture started; see capture.ts. */
  capture_ctime_ns: string | null;
  /** Runner that captures or removes the row inline (backups); `null` for tick-driven work. */
  job_owner: string | null;
  /** Message of the last failed capture or restore. */
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SnapshotScheduleTable {
  id: string;
  account_id: string;
  volume_id: string;
  /** `DAILY` or `WEEKLY`. */
  frequency: string;
  /** Hour of the day, 0 to 23, in the configured time zone. */
  hour: number;
  /** `SUN` to `SAT` for `WEEKLY`, `null` for `DAILY`. */
  day_of_week: string | null;
  next_run_at: string;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SnapshotPolicyTable {
  volume_id: string;
  account_id: string;
  /** Scheduled snapshots of the volume to keep, 1 to 128. */
  retention_count: number;
  created_at: string;
  updated_at: string;
}
