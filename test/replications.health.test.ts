import { describe, expect, it } from 'vitest';
import { replicationHealth } from '../src/replications/replication-health.js';

const base = {
  policy: 'use' as const,
  frequency: '5min' as const,
  createdAt: '2026-01-01T00:00:00Z',
  lastReplicatedAt: '2026-01-01T00:10:00Z',
};

function at(iso: string) {
  return new Date(iso);
}

describe('replicationHealth', () => {
  it('is ok within 1.5 intervals', () => {
    expect(replicationHealth(base, at('2026-01-01T00:17:30Z'))).toEqual({
      lagSeconds: 450,
      intervalSeconds: 300,
      health: 'ok',
    });
  });

  it('warns past 1.5 intervals', () => {
    expect(replicationHealth(base, at('2026-01-01T00:17:31Z')).health).toBe('warning');
  });

  it('errs past 2.5 intervals', () => {
    expect(replicationHealth(base, at('2026-01-01T00:22:30Z')).health).toBe('warning');
    expect(replicationHealth(base, at('2026-01-01T00:22:31Z')).health).toBe('error');
  });

  it('has no lag before the baseline but rates the wait since creation', () => {
    const pending = { ...base, lastReplicatedAt: null };
    expect(replicationHealth(pending, at('2026-01-01T00:01:00Z'))).toEqual({
      lagSeconds: null,
      intervalSeconds: 300,
      health: 'ok',
    });
    expect(replicationHealth(pending, at('2026-01-01T00:13:00Z')).health).toBe('error');
  });

  it('reports paused whatever the lag', () => {
    expect(
      replicationHealth({ ...base, policy: 'paused' }, at('2026-02-01T00:00:00Z')).health,
    ).toBe('paused');
  });

  it('uses the daily interval', () => {
    const daily = { ...base, frequency: 'daily' as const };
    expect(replicationHealth(daily, at('2026-01-02T12:00:00Z')).health).toBe('ok');
    expect(replicationHealth(daily, at('2026-01-02T12:10:01Z')).health).toBe('warning');
  });
});
