import { describe, expect, it } from 'vitest';
import { applyRetention, type RetentionCandidate } from '../src/snapshots/retention.js';
import type { SnapshotState } from '../src/snapshots/snapshot.js';

/** Describes a snapshot taken on day `day` of January 2026. */
function snap(id: string, day: number, state: SnapshotState = 'available'): RetentionCandidate {
  return { id, state, createdAt: `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z` };
}

function ids(entries: { snapshot: RetentionCandidate }[]): string[] {
  return entries.map((e) => e.snapshot.id);
}

describe('applyRetention', () => {
  it('keeps the newest and removes the oldest beyond the count', () => {
    const decision = applyRetention([snap('a', 1), snap('c', 3), snap('b', 2), snap('d', 4)], 2);
    expect(ids(decision.keep)).toEqual(['d', 'c']);
    expect(ids(decision.remove)).toEqual(['b', 'a']);
    expect(decision.remove.map((r) => r.reason)).toEqual(['beyond-retention', 'beyond-retention']);
    expect(decision.keep.map((k) => k.reason)).toEqual(['within-retention', 'within-retention']);
  });

  it('keeps everything within the count', () => {
    const decision = applyRetention([snap('a', 1), snap('b', 2)], 10);
    expect(ids(decision.keep)).toEqual(['b', 'a']);
    expect(decision.remove).toEqual([]);
  });

  it('does not count a capture in progress', () => {
    const decision = applyRetention([snap('a', 1), snap('b', 2), snap('c', 3, 'creating')], 1);
    expect(decision.keep).toEqual([
      { snapshot: snap('c', 3, 'creating'), reason: 'in-progress' },
      { snapshot: snap('b', 2), reason: 'within-retention' },
    ]);
    expect(ids(decision.remove)).toEqual(['a']);
  });

  it('keeps a restoring snapshot beyond the count', () => {
    const decision = applyRetention([snap('a', 1, 'restoring'), snap('b', 2)], 1);
    expect(decision.keep).toContainEqual({ snapshot: snap('a', 1, 'restoring'), reason: 'in-use' });
    expect(decision.remove).toEqual([]);
  });

  it('counts a restoring snapshot as a complete copy', () => {
    const decision = applyRetention([snap('a', 1), snap('b', 2, 'restoring')], 1);
    expect(ids(decision.remove)).toEqual(['a']);
  });

  it('removes failed captures once a newer copy exists', () => {
    const decision = applyRetention([snap('a', 1, 'error'), snap('b', 2)], 5);
    expect(decision.remove).toEqual([
      { snapshot: snap('a', 1, 'error'), reason: 'failed-capture-superseded' },
    ]);
  });

  it('keeps the latest failed capture', () => {
    const decision = applyRetention([snap('a', 1), snap('b', 2, 'error')], 5);
    expect(decision.keep).toContainEqual({
      snapshot: snap('b', 2, 'error'),
      reason: 'latest-failure',
    });
    expect(decision.remove).toEqual([]);
  });

  it('leaves deleting snapshots out of both lists', () => {
    const decision = applyRetention([snap('a', 1, 'deleting'), snap('b', 2)], 1);
    expect(ids(decision.keep)).toEqual(['b']);
    expect(decision.remove).toEqual([]);
  });

  it('orders equal times by id', () => {
    const decision = applyRetention([snap('a', 1), snap('b', 1)], 1);
    expect(ids(decision.keep)).toEqual(['b']);
    expect(ids(decision.remove)).toEqual(['a']);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the count %s', (keep) => {
    expect(() => applyRetention([snap('a', 1)], keep)).toThrow(RangeError);
  });
});
