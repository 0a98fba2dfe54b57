import type { Generated } from 'kysely';

/** Table row types. Times are RFC 3339 strings in UTC; booleans are 0/1 integers. */
export interface Database {
  accounts: AccountTable;
  access_keys: AccessKeyTable;
  volumes: VolumeTable;
  replications: ReplicationTable;
  replication_runs: ReplicationRunTable;
  volume_access_rules: VolumeAccessRuleTable;
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
