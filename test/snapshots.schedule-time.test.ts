import { describe, expect, it } from 'vitest';
import { snapshotName } from '../src/snapshots/snapshot-name.js';
import { nextSnapshotRunAt, schedulePattern } from '../src/snapshots/schedule-time.js';

const SEOUL = 'Asia/Seoul';

function next(time: Parameters<typeof nextSnapshotRunAt>[0], after: string, zone = SEOUL) {
  return nextSnapshotRunAt(time, new Date(after), zone).toISOString();
}

describe('nextSnapshotRunAt', () => {
  it('DAILY fires at the hour in Seoul', () => {
    // 23:00 KST is 14:00 UTC.
    const daily = { frequency: 'DAILY', hour: 23, dayOfWeek: null } as const;
    expect(next(daily, '2026-01-01T00:00:00Z')).toBe('2026-01-01T14:00:00.000Z');
  });

  it('DAILY moves to the next day after the hour', () => {
    const daily = { frequency: 'DAILY', hour: 9, dayOfWeek: null } as const;
    // 2026-01-01T00:00:01Z is 09:00:01 KST, just after the tick.
    expect(next(daily, '2026-01-01T00:00:01Z')).toBe('2026-01-02T00:00:00.000Z');
  });

  it('DAILY is strictly after a tick instant', () => {
    const daily = { frequency: 'DAILY', hour: 0, dayOfWeek: null } as const;
    expect(next(daily, '2026-01-01T15:00:00Z')).toBe('2026-01-02T15:00:00.000Z');
  });

  it('DAILY at hour 0 crosses the UTC date', () => {
    const daily = { frequency: 'DAILY', hour: 0, dayOfWeek: null } as const;
    expect(next(daily, '2026-01-01T03:00:00Z')).toBe('2026-01-01T15:00:00.000Z');
  });

  it('WEEKLY fires on the day in Seoul', () => {
    // 2026-01-04 is a Sunday; 23:00 KST on it is 14:00 UTC.
    const weekly = { frequency: 'WEEKLY', hour: 23, dayOfWeek: 'SUN' } as const;
    expect(next(weekly, '2026-01-01T00:00:00Z')).toBe('2026-01-04T14:00:00.000Z');
  });

  it('WEEKLY uses the Seoul weekday, not the UTC one', () => {
    // Monday 05:00 KST is Sunday 20:00 UTC.
    const weekly = { frequency: 'WEEKLY', hour: 5, dayOfWeek: 'MON' } as const;
    expect(next(weekly, '2026-01-01T00:00:00Z')).toBe('2026-01-04T20:00:00.000Z');
  });

  it('WEEKLY waits a week after its tick', () => {
    const weekly = { frequency: 'WEEKLY', hour: 23, dayOfWeek: 'SUN' } as const;
    expect(next(weekly, '2026-01-04T14:00:00Z')).toBe('2026-01-11T14:00:00.000Z');
  });

  it('follows another time zone', () => {
    const daily = { frequency: 'DAILY', hour: 23, dayOfWeek: null } as const;
    expect(next(daily, '2026-07-01T00:00:00Z', 'UTC')).toBe('2026-07-01T23:00:00.000Z');
  });
});

describe('schedulePattern', () => {
  it('numbers the days from Sunday', () => {
    expect(schedulePattern({ frequency: 'WEEKLY', hour: 7, dayOfWeek: 'SAT' })).toBe('0 0 7 * * 6');
  });

  it('rejects WEEKLY without a day', () => {
    expect(() => schedulePattern({ frequency: 'WEEKLY', hour: 7, dayOfWeek: null })).toThrow();
  });
});

describe('snapshotName', () => {
  it('writes the time in Seoul', () => {
    const at = new Date('2026-01-01T15:04:05Z');
    expect(snapshotName('my_volume_abc123', at, SEOUL)).toBe('my_volume_abc123.2026-01-02_000405');
  });

  it('uses a 24-hour clock', () => {
    const at = new Date('2026-03-09T14:21:05Z');
    expect(snapshotName('vol', at, SEOUL)).toBe('vol.2026-03-09_232105');
  });

  it('follows the configured zone', () => {
    const at = new Date('2026-03-09T14:21:05Z');
    expect(snapshotName('vol', at, 'UTC')).toBe('vol.2026-03-09_142105');
  });
});
