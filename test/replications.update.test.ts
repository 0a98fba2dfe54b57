import { describe, expect, it } from 'vitest';
import type { Replication } from '../src/replications/replication.js';
import { planReplicationUpdate } from '../src/replications/replication-update.js';

const NOW = new Date('2026-03-02T01:02:03Z');
const TZ = 'Asia/Seoul';

function replication(overrides: Partial<Replication> = {}): Replication {
  return {
    id: 'r1',
    accountId: 'a1',
    sourceVolumeId: 's1',
    targetVolumeId: 't1',
    type: 'replication',
    frequency: '5min',
    policy: 'use',
    status: 'available',
    backupRetentionCount: null,
    nextRunAt: '2026-03-02T01:05:00.000Z',
    leaseOwner: null,
    leaseExpiresAt: null,
    lastReplicatedAt: '2026-03-02T01:00:00.000Z',
    lastError: null,
    consecutiveFailures: 0,
    createdAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('planReplicationUpdate', () => {
  it('pauses without touching the schedule', () => {
    expect(
      planReplicationUpdate(replication(), { updateType: 'policy', policy: 'paused' }, NOW, TZ),
    ).toEqual({ policy: 'paused' });
  });

  it('reschedules a frequency change from the next tick', () => {
    const changes = planReplicationUpdate(
      replication(),
      { updateType: 'modify_schedule', frequency: 'hourly' },
      NOW,
      TZ,
    );
    expect(changes).toEqual({ frequency: 'hourly', next_run_at: '2026-03-02T02:00:00.000Z' });
  });

  it('keeps a due baseline due when the frequency changes', () => {
    const baseline = replication({
      lastReplicatedAt: null,
      status: 'creating',
      nextRunAt: '2026-03-02T01:00:00.000Z',
    });
    expect(
      planReplicationUpdate(baseline, { updateType: 'frequency', frequency: 'daily' }, NOW, TZ),
    ).toEqual({ frequency: 'daily' });
  });

  it('resumes on the next tick of the current frequency', () => {
    const paused = replication({
      policy: 'paused',
      frequency: 'hourly',
      nextRunAt: '2026-03-02T02:00:00.000Z',
    });
    expect(planReplicationUpdate(paused, { updateType: 'policy', policy: 'use' }, NOW, TZ)).toEqual(
      {
        policy: 'use',
        next_run_at: '2026-03-02T02:00:00.000Z',
      },
    );
  });

  it('resumes at once when a tick was missed while paused', () => {
    const paused = replication({ policy: 'paused', nextRunAt: '2026-03-02T00:10:00.000Z' });
    expect(planReplicationUpdate(paused, { updateType: 'policy', policy: 'use' }, NOW, TZ)).toEqual(
      { policy: 'use' },
    );
  });

  it('applies every non-null field of an empty update type', () => {
    const changes = planReplicationUpdate(
      replication(),
      { updateType: '', policy: null, frequency: null, backupRetentionCount: 5 },
      NOW,
      TZ,
    );
    expect(changes).toEqual({ backup_retention_count: 5 });
  });

  it('ignores the policy field of a modify_schedule update', () => {
    const changes = planReplicationUpdate(
      replication(),
      { updateType: 'modify_schedule', policy: 'paused', backupRetentionCount: 3 },
      NOW,
      TZ,
    );
    expect(changes).toEqual({ backup_retention_count: 3 });
  });

  it('rejects an update with nothing to apply', () => {
    expect(() => planReplicationUpdate(replication(), { updateType: '' }, NOW, TZ)).toThrow(
      'MISSING_FIELD',
    );
  });
});
