import { Cron } from 'croner';
import { DAYS_OF_WEEK, type ScheduleTime } from './snapshot.js';

/**
 * Cron pattern (with seconds) of a snapshot schedule: DAILY at minute 0 of `hour`, WEEKLY the
 * same on `dayOfWeek`. Cron counts days of the week from 0 for Sunday, as DAYS_OF_WEEK does.
 */
export function schedulePattern(time: ScheduleTime): string {
  if (time.frequency === 'DAILY') return `0 0 ${time.hour} * * *`;
  if (time.dayOfWeek === null) throw new Error('a WEEKLY schedule needs a day of the week');
  return `0 0 ${time.hour} * * ${DAYS_OF_WEEK.indexOf(time.dayOfWeek)}`;
}

/** Returns the first time the schedule fires strictly after `after`, computed in `timeZone`. */
export function nextSnapshotRunAt(time: ScheduleTime, after: Date, timeZone: string): Date {
  const next = new Cron(schedulePattern(time), { timezone: timeZone }).nextRun(after);
  if (!next) throw new Error(`no next run for the schedule ${schedulePattern(time)}`);
  return next;
}
