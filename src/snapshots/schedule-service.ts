import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import { ApiError } from '../errors/api-error.js';
import type { Database } from '../store/schema.js';
import { findVolume } from '../volumes/volume-repository.js';
import type { Volume } from '../volumes/volume.js';
import {
  deletePolicy,
  deleteScheduleRow,
  findPolicy,
  findScheduleOfVolume,
  insertSchedule,
  listSchedulesOfVolume,
  savePolicy,
  updateSchedule,
} from './schedule-repository.js';
import { nextSnapshotRunAt } from './schedule-time.js';
import {
  DEFAULT_RETENTION_COUNT,
  type DayOfWeek,
  type ScheduleFrequency,
  type ScheduleTime,
  type SnapshotSchedule,
} from './snapshot.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A schedule as the API sends it: `hour` as a string, `day_of_week` possibly missing. */
export interface ScheduleInput {
  frequency: ScheduleFrequency;
  hour: string;
  dayOfWeek?: DayOfWeek | null;
}

/** The result of CreateVolumeSnapshotSchedule and SetVolumeSnapshotSchedule. */
export interface ScheduleChange {
  volumeId: string;
  schedule: ScheduleTime;
  retentionCount: number;
}

/** A volume's snapshot policy: its schedules and the scheduled snapshots it keeps. */
export interface SnapshotPolicyView {
  volumeId: string;
  schedules: SnapshotSchedule[];
  retentionCount: number;
  /** True while the volume has at least one schedule. */
  enabled: boolean;
}

/**
 * Snapshot schedule use cases. A volume has any number of distinct schedules and one retention
 * count shared by all its scheduled snapshots. The count is stored with the first schedule and
 * kept while any schedule is left, and a count given with a create or set replaces it. A lower count takes
 * effect when the next scheduled snapshot has been captured. A WEEKLY schedule needs
 * `day_of_week`; a DAILY one ignores it. Schedules cannot be added to or changed on a volume
 * being deleted.
 */
export class SnapshotScheduleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Pick<Config, 'timeZone'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async create(
    accountId: string,
    volumeId: string,
    input: ScheduleInput,
    retentionCount: number | undefined,
  ): Promise<ScheduleChange> {
    const time = scheduleTime(input);
    const id = randomUUID();
    const change = await this.db.transaction().execute(async (trx) => {
      const volume = await findOwnVolume(trx, accountId, volumeId);
      requireNotDeleting(volume, 'CreateVolumeSnapshotSchedule');
      await requireDistinct(trx, volumeId, time, undefined);
      const now = this.clock.now();
      await insertSchedule(trx, {
        id,
        account_id: accountId,
        volume_id: volumeId,
        frequency: time.frequency,
        hour: time.hour,
        day_of_week: time.dayOfWeek,
        next_run_at: nextSnapshotRunAt(time, now, this.config.timeZone).toISOString(),
        last_run_at: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      const kept = await this.#savePolicy(trx, volume, retentionCount);
      return { volumeId, schedule: time, retentionCount: kept };
    });
    this.logger.info({ scheduleId: id, volumeId, ...time }, 'snapshot schedule created');
    return change;
  }

  async list(accountId: string, volumeId: string): Promise<SnapshotPolicyView> {
    await findOwnVolume(this.db, accountId, volumeId);
    const schedules = await listSchedulesOfVolume(this.db, volumeId);
    const policy = await findPolicy(this.db, volumeId);
    return {
      volumeId,
      schedules,
      retentionCount: policy?.retentionCount ?? DEFAULT_RETENTION_COUNT,
      enabled: schedules.length > 0,
    };
  }

  /** Replaces a schedule's time (its next run is computed again) and, if given, the count. */
  async set(
    accountId: string,
    volumeId: string,
    scheduleId: string,
    input: ScheduleInput,
    retentionCount: number | undefined,
  ): Promise<ScheduleChange> {
    const time = scheduleTime(input);
    const change = await this.db.transaction().execute(async (trx) => {
      const volume = await findOwnVolume(trx, accountId, volumeId);
      await findOwnSchedule(trx, volumeId, scheduleId);
      requireNotDeleting(volume, 'SetVolumeSnapshotSchedule');
      await requireDistinct(trx, volumeId, time, scheduleId);
      const now = this.clock.now();
      await updateSchedule(trx, scheduleId, {
        frequency: time.frequency,
        hour: time.hour,
        day_of_week: time.dayOfWeek,
        next_run_at: nextSnapshotRunAt(time, now, this.config.timeZone).toISOString(),
        updated_at: now.toISOString(),
      });
      const kept = await this.#savePolicy(trx, volume, retentionCount);
      return { volumeId, schedule: time, retentionCount: kept };
    });
    this.logger.info({ scheduleId, volumeId, ...time }, 'snapshot schedule changed');
    return change;
  }

  /** Deletes a schedule; the volume's retention count goes with its last schedule. */
  async delete(accountId: string, volumeId: string, scheduleId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await findOwnVolume(trx, accountId, volumeId);
      await findOwnSchedule(trx, volumeId, scheduleId);
      await deleteScheduleRow(trx, scheduleId);
      const left = await listSchedulesOfVolume(trx, volumeId);
      if (left.length === 0) await deletePolicy(trx, volumeId);
    });
    this.logger.info({ scheduleId, volumeId }, 'snapshot schedule deleted');
  }

  /** Stores the given count, else keeps the stored one, else the default; returns the count. */
  async #savePolicy(db: Db, volume: Volume, requested: number | undefined): Promise<number> {
    const stored = await findPolicy(db, volume.id);
    const retentionCount = requested ?? stored?.retentionCount ?? DEFAULT_RETENTION_COUNT;
    const policy = { volumeId: volume.id, accountId: volume.accountId, retentionCount };
    await savePolicy(db, policy, this.clock.now().toISOString());
    return retentionCount;
  }
}

/** Validates the day rule and converts the API's schedule to a ScheduleTime. */
function scheduleTime(input: ScheduleInput): ScheduleTime {
  const hour = Number(input.hour);
  if (input.frequency === 'DAILY') return { frequency: 'DAILY', hour, dayOfWeek: null };
  if (!input.dayOfWeek) {
    const field = 'snapshot_schedule.day_of_week';
    throw new ApiError(
      'MISSING_FIELD',
      { field, location: 'body', location_ko: '본문' },
      { field },
    );
  }
  return { frequency: 'WEEKLY', hour, dayOfWeek: input.dayOfWeek };
}

async function findOwnVolume(db: Db, accountId: string, volumeId: string): Promise<Volume> {
  const volume = await findVolume(db, accountId, volumeId);
  if (!volume) throw new ApiError('VOLUME_NOT_FOUND', { volumeId }, { field: 'volume_id' });
  return volume;
}

async function findOwnSchedule(
  db: Db,
  volumeId: string,
  scheduleId: string,
): Promise<SnapshotSchedule> {
  const schedule = await findScheduleOfVolume(db, volumeId, scheduleId);
  if (!schedule) {
    throw new ApiError(
      'SNAPSHOT_SCHEDULE_NOT_FOUND',
      { scheduleId, volumeId },
      { field: 'snapshot_schedule_id' },
    );
  }
  return schedule;
}

function requireNotDeleting(volume: Volume, operation: string): void {
  if (volume.state === 'deleting') {
    throw new ApiError('VOLUME_NOT_AVAILABLE', {
      volumeId: volume.id,
      state: 'deleting',
      operation,
    });
  }
}

/** Rejects a second schedule with the same time on one volume, which would fire twice at once. */
async function requireDistinct(
  db: Db,
  volumeId: string,
  time: ScheduleTime,
  exceptId: string | undefined,
): Promise<void> {
  const same = (await listSchedulesOfVolume(db, volumeId)).find(
    (s) =>
      s.id !== exceptId &&
      s.frequency === time.frequency &&
      s.hour === time.hour &&
      s.dayOfWeek === time.dayOfWeek,
  );
  if (!same) return;
  const day = time.dayOfWeek ? `, day_of_week=${time.dayOfWeek}` : '';
  throw new ApiError('SNAPSHOT_SCHEDULE_EXISTS', {
    volumeId,
    scheduleId: same.id,
    schedule: `frequency=${time.frequency}${day}, hour=${time.hour}`,
  });
}
