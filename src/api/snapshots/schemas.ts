import { Type } from '@sinclair/typebox';
import { Nullable, StrictObject } from '../common-schemas.js';

export const SnapshotCreateRequest = Type.Object({
  volume_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export const SnapshotIdParams = Type.Object({
  snapshot_id: Type.String({ minLength: 1, maxLength: 64 }),
});

const snapshotFields = {
  id: Type.String(),
  name: Type.String(),
  state: Type.String(),
  created_at: Type.String(),
  // Version 1.0 requires an integer; the routes send 0 there while 1.1 may show null.
  size: Nullable(Type.Integer()),
};

export const Snapshot = StrictObject(snapshotFields);

export const SnapshotDetail = StrictObject({ ...snapshotFields, volume_id: Type.String() });

export const SnapshotCreateResponse = StrictObject({ snapshot: SnapshotDetail });

export const SnapshotRestoreResponse = StrictObject({ snapshot: Snapshot });

export const SnapshotListResponse = StrictObject({
  count: Type.Integer(),
  snapshots: Type.Array(Snapshot),
  snapshot_size_total_byte: Nullable(Type.Integer()),
});
