import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { renderKeyValues } from '../render.js';
import type { Session } from '../session.js';
import {
  DAYS_OF_WEEK,
  SNAPSHOT_FREQUENCIES,
  checkChoiceIgnoreCase,
  checkInteger,
} from '../validate.js';
import { renderRows, sessionFor, type CommandDeps } from './deps.js';

export interface ScheduleOptions {
  volumeId: string;
  frequency: string;
  hour: string;
  dayOfWeek?: string;
  retention?: string;
}

/** The `snapshot_schedule` object of the API. `hour` is a string such as `"3"`. */
export interface ScheduleBody {
  frequency: (typeof SNAPSHOT_FREQUENCIES)[number];
  hour: string;
  day_of_week: (typeof DAYS_OF_WEEK)[number] | null;
}

interface ScheduleChangeBody {
  volume_id: string;
  snapshot_schedule: ScheduleBody;
  snapshot_retention_count: number;
}

interface ScheduleListBody {
  volume_id: string;
  snapshot_schedule: (ScheduleBody & { id: string })[];
  snapshot_policy_enabled: boolean;
  snapshot_retention_count: number;
}

const LIST_FIELDS = ['id', 'frequency', 'hour', 'day_of_week'];

/** Adds `snapshot-schedule create|list|set|delete`. */
export function registerSnapshotScheduleCommands(program: Command, deps: CommandDeps): void {
  const m = deps.messages;
  const schedule = program.command('snapshot-schedule').description(m.t('cmd.snapshotSchedule'));
  addScheduleOptions(
    schedule.command('create').description(m.t('cmd.scheduleCreate')),
    deps,
  ).action((options: ScheduleOptions, command: Command) =>
    createSchedule(sessionFor(command, deps), options),
  );
  schedule
    .command('list')
    .description(m.t('cmd.scheduleList'))
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .action((options: { volumeId: string }, command: Command) =>
      listSchedules(sessionFor(command, deps), options.volumeId),
    );
  addScheduleOptions(
    schedule
      .command('set')
      .description(m.t('cmd.scheduleSet'))
      .argument('<schedule_id>', m.t('arg.scheduleId')),
    deps,
  ).action((scheduleId: string, options: ScheduleOptions, command: Command) =>
    setSchedule(sessionFor(command, deps), scheduleId, options),
  );
  schedule
    .command('delete')
    .description(m.t('cmd.scheduleDelete'))
    .argument('<schedule_id>', m.t('arg.scheduleId'))
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .action((scheduleId: string, options: { volumeId: string }, command: Command) =>
      deleteSchedule(sessionFor(command, deps), scheduleId, options.volumeId),
    );
}

function addScheduleOptions(command: Command, deps: CommandDeps): Command {
  const m = deps.messages;
  return command
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .requiredOption('--frequency <frequency>', m.t('opt.scheduleFrequency'))
    .requiredOption('--hour <hour>', m.t('opt.scheduleHour'))
    .option('--day-of-week <day>', m.t('opt.scheduleDayOfWeek'))
    .option('--retention <n>', m.t('opt.scheduleRetention'));
}

/**
 * Checks the schedule options and builds the `snapshot_schedule` object: WEEKLY needs
 * --day-of-week, and DAILY rejects it, because the server would ignore it silently.
 */
export function scheduleBody(options: ScheduleOptions): ScheduleBody {
  const frequency = checkChoiceIgnoreCase('--frequency', options.frequency, SNAPSHOT_FREQUENCIES);
  const hour = checkInteger('--hour', options.hour, 0, 23);
  const day = checkChoiceIgnoreCase('--day-of-week', options.dayOfWeek, DAYS_OF_WEEK) ?? null;
  if (frequency === 'WEEKLY' && day === null) throw new CliError('error.weeklyNeedsDay');
  if (frequency === 'DAILY' && day !== null) {
    throw new CliError('error.dailyTakesNoDay', { value: options.dayOfWeek ?? '' });
  }
  return {
    frequency: frequency as ScheduleBody['frequency'],
    hour: String(hour),
    day_of_week: day,
  };
}

function retentionOf(options: ScheduleOptions): number | undefined {
  return checkInteger('--retention', options.retention, 1, 128);
}

/** Sends CreateVolumeSnapshotSchedule and prints the schedule. */
export async function createSchedule(session: Session, options: ScheduleOptions): Promise<void> {
  const retention = retentionOf(options);
  const body = {
    volume_id: options.volumeId,
    snapshot_schedule: scheduleBody(options),
    ...(retention !== undefined && { snapshot_retention_count: retention }),
  };
  const response = await session.call('POST', '/v1/snapshot-schedules', { body });
  session.printResult(response, () => renderChange(session, response.body as ScheduleChangeBody));
}

/** Sends ListVolumeSnapshotSchedules and prints the schedules and the volume's policy. */
export async function listSchedules(session: Session, volumeId: string): Promise<void> {
  const query = { volume_id: volumeId };
  const response = await session.call('GET', '/v1/snapshot-schedules', { query });
  const list = response.body as ScheduleListBody;
  session.printResult(response, () => {
    const { messages } = session;
    const policy = renderKeyValues([
      [messages.fieldLabel('snapshot_policy_enabled'), list.snapshot_policy_enabled],
      [messages.fieldLabel('snapshot_retention_count'), list.snapshot_retention_count],
    ]);
    return `${renderRows(session, LIST_FIELDS, list.snapshot_schedule)}\n${policy}`;
  });
}

/** Sends SetVolumeSnapshotSchedule and prints the schedule. */
export async function setSchedule(
  session: Session,
  scheduleId: string,
  options: ScheduleOptions,
): Promise<void> {
  const retention = retentionOf(options);
  const body = {
    snapshot_schedule: scheduleBody(options),
    ...(retention !== undefined && { snapshot_retention_count: retention }),
  };
  const query = { volume_id: options.volumeId };
  const response = await session.call('PUT', schedulePath(scheduleId), { query, body });
  session.printResult(response, () => renderChange(session, response.body as ScheduleChangeBody));
}

/** Sends DeleteVolumeSnapshotSchedule. */
export async function deleteSchedule(
  session: Session,
  scheduleId: string,
  volumeId: string,
): Promise<void> {
  await session.call('DELETE', schedulePath(scheduleId), { query: { volume_id: volumeId } });
  session.printNote(session.messages.t('result.scheduleDeleted', { id: scheduleId }));
}

function renderChange(session: Session, change: ScheduleChangeBody): string {
  const { messages } = session;
  const fields: [string, unknown][] = [
    ['volume_id', change.volume_id],
    ...Object.entries(change.snapshot_schedule),
    ['snapshot_retention_count', change.snapshot_retention_count],
  ];
  return renderKeyValues(fields.map(([field, value]) => [messages.fieldLabel(field), value]));
}

function schedulePath(scheduleId: string): string {
  return `/v1/snapshot-schedules/${encodeURIComponent(scheduleId)}`;
}
