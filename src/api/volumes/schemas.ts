import { Type } from '@sinclair/typebox';
import { NAME_PATTERN, Nullable, StrictObject } from '../common-schemas.js';

export const VOLUME_TYPES_V11 = ['HDD', 'SSD', 'HighPerformanceSSD', 'SSD_SAP_S', 'SSD_SAP_E'];
export const VOLUME_TYPES_V10 = ['HDD', 'SSD', 'HighPerformanceSSD'];

export const VolumeCreateRequest = Type.Object({
  name: Type.String({ pattern: NAME_PATTERN }),
  protocol: Type.String({ enum: ['NFS', 'CIFS'] }),
  type_name: Type.String({ enum: VOLUME_TYPES_V11 }),
  cifs_password: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  snapshot_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  tags: Type.Optional(
    Nullable(
      Type.Array(
        Type.Object({
          key: Type.String({ minLength: 1, maxLength: 128 }),
          value: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
        }),
        { maxItems: 50 },
      ),
    ),
  ),
});

export const VolumeCreateResponse = StrictObject({
  volume_id: Type.String(),
  volume_name: Type.String(),
  protocol: Type.String(),
  type_name: Type.String(),
  snapshot_id: Nullable(Type.String()),
});

const volumeFields = {
  id: Type.String(),
  name: Type.String(),
  protocol: Type.String(),
  state: Type.String(),
  account_id: Type.String(),
  created_at: Type.String(),
  type_id: Type.String(),
  type_name: Type.String(),
  purpose: Type.String(),
};

export const Volume = StrictObject(volumeFields);

export const VolumeListResponse = StrictObject({
  count: Type.Integer(),
  filestorages: Type.Array(Volume),
});

export const VolumeShowResponse = StrictObject({
  ...volumeFields,
  encryption_enabled: Type.Boolean(),
  file_unit_recovery_enabled: Nullable(Type.Boolean()),
  path: Nullable(Type.String()),
  endpoint_path: Nullable(Type.String()),
  usage: Nullable(Type.Integer()),
  cifs_id: Nullable(Type.String()),
});

export const ListVolumesQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  name: Type.Optional(Type.String({ maxLength: 64 })),
  type_name: Type.Optional(Type.String({ enum: VOLUME_TYPES_V11 })),
  sort: Type.Optional(
    Type.String({ pattern: '^(name:asc|name:desc|created_at:asc|created_at:desc)$' }),
  ),
});

export const VolumeIdParams = Type.Object({
  volume_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export const VolumeSetRequest = Type.Object({
  file_unit_recovery_enabled: Type.Boolean(),
});

export const VolumeSetResponse = StrictObject({
  file_unit_recovery_enabled: Type.Boolean(),
});

export const OBJECT_TYPES = ['VM', 'BM', 'GPU', 'GPU_NODE', 'ENDPOINT'];

export const AccessRuleRequest = Type.Object({
  action: Type.String({ enum: ['add', 'remove'] }),
  object_type: Type.String({ enum: OBJECT_TYPES }),
  object_id: Type.String({ minLength: 1, maxLength: 128 }),
});

export const AccessRuleResponse = StrictObject({
  volume_id: Type.String(),
  action: Type.String(),
  object_type: Type.String(),
  object_id: Type.String(),
});

export const AccessRuleListResponse = StrictObject({
  volume_id: Type.String(),
  count: Type.Integer(),
  access_rules: Type.Array(
    StrictObject({
      object_type: Type.String(),
      object_id: Type.String(),
      access_rule_state: Type.String(),
    }),
  ),
});
