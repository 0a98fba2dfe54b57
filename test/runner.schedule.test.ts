import { describe, expect, it } from 'vitest';
import { nextRunAt, retryDelayMs } from '../src/runner/schedule.js';

const SEOUL = 'Asia/Seoul';

describe('nextRunAt', () => {
  it('5min ticks at the next minute divisible by five', () => {
    expect(nextRunAt('5min', new Date('2026-01-01T00:03:10Z'), SEOUL).toISOString()).toBe(
      '2026-01-01T00:05:00.000Z',
    );
  });

  it('5min is strictly after a tick instant', () => {
    expect(nextRunAt('5min', new Date('2026-01-01T00:05:00Z'), SEOUL).toISOString()).toBe(
      '2026-01-01T00:10:00.000Z',
    );
  });

  it('hourly ticks at minute zero', () => {
    expect(nextRunAt('hourly', new Date('2026-01-01T10:00:01Z'), SEOUL).toISOString()).toBe(
      '2026-01-01T11:00:00.000Z',
    );
  });

  it('daily ticks at 23:59 Seoul time', () => {
    // 23:59 KST is 14:59 UTC.
    expect(nextRunAt('daily', new Date('2026-01-01T15:00:00Z'), SEOUL).toISOString()).toBe(
      '2026-01-02T14:59:00.000Z',
    );
  });

  it('weekly ticks on Sunday at 23:59 Seoul time', () => {
    // 2026-01-04 is a Sunday.
    expect(nextRunAt('weekly', new Date('2026-01-01T00:00:00Z'), SEOUL).toISOString()).toBe(
      '2026-01-04T14:59:00.000Z',
    );
  });

  it('monthly ticks on the first at 23:59 Seoul time', () => {
    expect(nextRunAt('monthly', new Date('2026-01-02T00:00:00Z'), SEOUL).toISOString()).toBe(
      '2026-02-01T14:59:00.000Z',
    );
  });

  it('follows another time zone', () => {
    expect(nextRunAt('daily', new Date('2026-07-01T00:00:00Z'), 'UTC').toISOString()).toBe(
      '2026-07-01T23:59:00.000Z',
    );
  });
});

describe('retryDelayMs', () => {
  const table = [5_000, 30_000, 120_000];

  it('uses the entry of the failure count', () => {
    expect(retryDelayMs(1, table)).toBe(5_000);
    expect(retryDelayMs(2, table)).toBe(30_000);
  });

  it('stays at the last entry', () => {
    expect(retryDelayMs(9, table)).toBe(120_000);
  });
});
