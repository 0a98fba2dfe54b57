import { Type } from '@sinclair/typebox';
import { DAYS_OF_WEEK } from '../../snapshots/snapshot.js';
import { Nullable, StrictObject } from '../common-schemas.js';

const HOUR_PATTERN = '^([0-9]|1[0-9]|2[0-3])$';

export const SnapshotScheduleBody = Type.Object({
  frequency: Type.String({ enum: ['DAILY', 'WEEKLY'] }),
  hour: Type.String({ pattern: HOUR_PATTERN }),
  day_of_week: Type.Optional(Nullable(Type.String({ enum: [...DAYS_OF_WEEK] }))),
});

/**
 * 1 to 128 as a JSON integer, as the contract has it. A decimal string is accepted as well,
 * because the official Go SDK's filestorage 1.1 request models declare this field a string.
 */
const RetentionCount = Type.Optional(
  Nullable(
    Type.Union([
      Type.Integer({ minimum: 1, maximum: 128 }),
      Type.String({ pattern: '^(12[0-8]|1[01][0-9]|[1-9][0-9]?)$' }),
    ]),
  ),
);

export const ScheduleCreateRequest = Type.Object({
  volume_id: Type.String({ minLength: 1, maxLength: 64 }),
  snapshot_schedule: SnapshotScheduleBody,
  snapshot_retention_count: RetentionCount,
});

export const ScheduleSetRequest = Type.Object({
  snapshot_schedule: SnapshotScheduleBody,
  snapshot_retention_count: RetentionCount,
});

export const ScheduleIdParams = Type.Object({
  snapshot_schedule_id: Type.String({ minLength: 1, maxLength: 64 }),
});

const scheduleFields = {
  frequency: Type.String(),
  hour: Type.String(),
  day_of_week: Nullable(Type.String()),
};

/** Response of CreateVolumeSnapshotSchedule and SetVolumeSnapshotSchedule. */
export const ScheduleChangeResponse = StrictObject({
  volume_id: Type.String(),
  snapshot_schedule: StrictObject(scheduleFields),
  snapshot_retention_count: Type.Integer(),
});

export const ScheduleListResponse = StrictObject({
  volume_id: Type.String(),
  snapshot_schedule: Type.Array(StrictObject({ id: Type.String(), ...scheduleFields })),
  snapshot_policy_enabled: Type.Boolean(),
  snapshot_retention_count: Type.Integer(),
});

/** Converts a request's retention count to a number; undefined when absent or null. */
export function retentionCountOf(value: number | string | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
