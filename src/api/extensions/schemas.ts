import { Type } from '@sinclair/typebox';
import { Nullable, StrictObject } from '../common-schemas.js';

export const EXTENSION_PREFIX = '/scpfs/v1';

export const ReplicationRun = StrictObject({
  run_id: Type.String(),
  state: Type.String({ description: 'running, succeeded, failed or interrupted' }),
  started_at: Type.String(),
  finished_at: Nullable(Type.String()),
  duration_ms: Type.Integer(),
  entries_scanned: Type.Integer(),
  files_copied: Type.Integer(),
  bytes_copied: Type.Integer(),
  entries_deleted: Type.Integer(),
  files_total: Type.Integer({ description: 'Files the run plans to copy' }),
  bytes_total: Type.Integer({ description: 'Bytes the run plans to copy' }),
  files_done: Type.Integer(),
  bytes_done: Type.Integer(),
  error: Nullable(Type.String()),
});

export const ReplicationStatusResponse = StrictObject({
  replication_id: Type.String(),
  replication_status: Type.String(),
  replication_policy: Type.String(),
  replication_frequency: Type.String(),
  last_replicated_at: Nullable(
    Type.String({ description: 'Source state of the last committed run' }),
  ),
  lag_seconds: Nullable(Type.Integer()),
  interval_seconds: Type.Integer(),
  health: Type.String({
    description: 'ok, warning (lag > 1.5 intervals), error (> 2.5) or paused',
  }),
  next_run_at: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  last_run: Nullable(ReplicationRun),
  current_run: Nullable(ReplicationRun),
});

export const ReplicationRunListResponse = StrictObject({
  count: Type.Integer(),
  runs: Type.Array(ReplicationRun),
});

export const RunListQuery = Type.Object({
  volume_id: Type.String({ minLength: 1, maxLength: 64 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const ReplicateNowResponse = StrictObject({
  replication_id: Type.String(),
  next_run_at: Type.String(),
});
