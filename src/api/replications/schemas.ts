import { Type } from '@sinclair/typebox';
import { NAME_PATTERN, Nullable, StrictObject } from '../common-schemas.js';

export const FREQUENCIES = ['5min', 'hourly', 'daily', 'weekly', 'monthly'];
export const REPLICATION_TYPES = ['replication', 'backup'];

export const ReplicationCreateRequest = Type.Object({
  name: Type.String({ pattern: NAME_PATTERN }),
  region: Type.String({ minLength: 1, maxLength: 64 }),
  replication_frequency: Type.String({ enum: FREQUENCIES }),
  replication_type: Type.String({ enum: REPLICATION_TYPES }),
  volume_id: Type.String({ minLength: 1, maxLength: 64 }),
  cifs_password: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  backup_retention_count: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 128 }))),
});

export const ReplicationCreateResponse = StrictObject({
  replication_id: Type.String(),
  replication_status: Type.String(),
  source_volume_id: Type.String(),
  source_volume_region: Type.String(),
  protocol: Type.String(),
  replication_volume_id: Type.String(),
  replication_volume_region: Type.String(),
});

const replicationFields = {
  replication_id: Type.String(),
  replication_frequency: Type.String(),
  replication_type: Type.String(),
  source_volume_id: Type.String(),
  source_volume_region: Type.String(),
  source_volume_access_level: Type.String(),
  replication_volume_id: Type.String(),
  replication_volume_region: Type.String(),
  replication_volume_access_level: Type.String(),
};

export const Replication = StrictObject(replicationFields);

export const ReplicationListResponse = StrictObject({
  count: Type.Integer(),
  replications: Type.Array(Replication),
});

export const ReplicationShowResponse = StrictObject({
  ...replicationFields,
  replication_policy: Type.String(),
  replication_status: Type.String(),
  source_volume_name: Type.String(),
  replication_volume_name: Type.String(),
  backup_retention_count: Nullable(Type.Integer()),
});

export const ReplicationIdParams = Type.Object({
  replication_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export const RegionsQuery = Type.Object({
  type_name: Type.Optional(Type.String({ enum: ['HDD', 'SSD'] })),
  source_region_name: Type.Optional(Type.String({ maxLength: 64 })),
  replication_type: Type.Optional(Type.String({ enum: REPLICATION_TYPES })),
});

export const RegionListResponse = StrictObject({
  regions: Type.Array(Type.String()),
});

export const UPDATE_TYPES = ['policy', 'modify_schedule', 'frequency', ''];

export const ReplicationUpdateRequest = Type.Object({
  replication_update_type: Type.String({ enum: UPDATE_TYPES }),
  replication_policy: Type.Optional(Nullable(Type.String({ enum: ['use', 'paused'] }))),
  replication_frequency: Type.Optional(Nullable(Type.String({ enum: FREQUENCIES }))),
  backup_retention_count: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 128 }))),
});

export const ReplicationUpdateResponse = StrictObject({
  ...replicationFields,
  backup_retention_count: Nullable(Type.Integer()),
});
