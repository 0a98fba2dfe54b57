import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadyVolume } from './helpers/replication-flow.js';
import { expectError, expectShape } from './helpers/shapes.js';
import {
  runSql,
  SCHEDULE_CHANGE,
  SCHEDULE_LIST,
  snapshotPath,
  takeSnapshot,
} from './helpers/snapshot-flow.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

const UNKNOWN_ID = '00000000-0000-0000-0000-000000000000';
const DAILY_23 = { frequency: 'DAILY', hour: '23' };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

function createSchedule(body: Record<string, unknown>, version?: '1.0' | '1.1') {
  return t.client.post('/v1/snapshot-schedules', body, { version, language: 'en-US' });
}

function listSchedules(volumeId: string, version?: '1.0' | '1.1') {
  return t.client.get('/v1/snapshot-schedules', { query: `volume_id=${volumeId}`, version });
}

function setSchedule(volumeId: string, id: string, body: Record<string, unknown>) {
  return t.client.request('PUT', `/v1/snapshot-schedules/${id}`, {
    query: `volume_id=${volumeId}`,
    body,
  });
}

function deleteSchedule(volumeId: string, id: string) {
  return t.client.delete(`/v1/snapshot-schedules/${id}`, { query: `volume_id=${volumeId}` });
}

/** Creates a schedule and returns its id, found through ListVolumeSnapshotSchedules. */
async function scheduleId(volumeId: string, body: Record<string, unknown>): Promise<string> {
  const created = await createSchedule({ volume_id: volumeId, ...body });
  expect(created.status, created.text).toBe(202);
  const list = await listSchedules(volumeId);
  return list.body.snapshot_schedule.at(-1).id as string;
}

interface SnapshotRow {
  id: string;
  kind: string;
  state: string;
}

function snapshotRows(volumeId: string): SnapshotRow[] {
  return runSql(
    t.dataDir,
    'select id, kind, state from snapshots where volume_id = ? order by created_at, id',
    volumeId,
  ) as SnapshotRow[];
}

interface ScheduleRow {
  next_run_at: string;
  last_run_at: string | null;
}

function scheduleRow(id: string): ScheduleRow {
  const rows = runSql(t.dataDir, 'select * from snapshot_schedules where id = ?', id);
  expect(rows, `schedule ${id} row`).toHaveLength(1);
  return (rows as ScheduleRow[])[0]!;
}

/** Makes a schedule due now and waits until its snapshot is captured and retention applied. */
async function fireNow(id: string, volumeId: string): Promise<void> {
  const before = scheduleRow(id).last_run_at;
  runSql(
    t.dataDir,
    'update snapshot_schedules set next_run_at = ? where id = ?',
    new Date(0).toISOString(),
    id,
  );
  await waitFor(async () => {
    if (scheduleRow(id).last_run_at === before) return undefined;
    const busy = snapshotRows(volumeId).some(
      (r) => r.state === 'creating' || r.state === 'deleting',
    );
    return busy ? undefined : true;
  }, `schedule ${id} fired`);
}

describe('CreateVolumeSnapshotSchedule', () => {
  it('returns 202 with exactly the create keys in 1.1 and 1.0', async () => {
    const volume = await createReadyVolume(t.client, 'sched_create');
    const daily = await createSchedule({ volume_id: volume.id, snapshot_schedule: DAILY_23 });
    expect(daily.status, daily.text).toBe(202);
    expectShape(daily.body, SCHEDULE_CHANGE);
    expect(daily.body).toEqual({
      volume_id: volume.id,
      snapshot_schedule: { frequency: 'DAILY', hour: '23', day_of_week: null },
      snapshot_retention_count: 10,
    });

    const weekly = await createSchedule(
      {
        volume_id: volume.id,
        snapshot_schedule: { frequency: 'WEEKLY', hour: '0', day_of_week: 'SUN' },
        snapshot_retention_count: 3,
      },
      '1.0',
    );
    expect(weekly.status, weekly.text).toBe(202);
    expectShape(weekly.body, SCHEDULE_CHANGE);
    expect(weekly.body.snapshot_schedule).toEqual({
      frequency: 'WEEKLY',
      hour: '0',
      day_of_week: 'SUN',
    });
    expect(weekly.body.snapshot_retention_count).toBe(3);
  });

  it('accepts the retention count as a decimal string', async () => {
    const volume = await createReadyVolume(t.client, 'sched_string');
    const response = await createSchedule({
      volume_id: volume.id,
      snapshot_schedule: DAILY_23,
      snapshot_retention_count: '4',
    });
    expect(response.status, response.text).toBe(202);
    expect(response.body.snapshot_retention_count).toBe(4);
  });

  it('ignores day_of_week for DAILY', async () => {
    const volume = await createReadyVolume(t.client, 'sched_daily_day');
    const response = await createSchedule({
      volume_id: volume.id,
      snapshot_schedule: { frequency: 'DAILY', hour: '5', day_of_week: 'MON' },
    });
    expect(response.body.snapshot_schedule.day_of_week).toBeNull();
  });

  it('schedules the first run at the hour in Seoul', async () => {
    const volume = await createReadyVolume(t.client, 'sched_next');
    const id = await scheduleId(volume.id, {
      snapshot_schedule: { frequency: 'DAILY', hour: '7' },
    });
    const next = new Date(scheduleRow(id).next_run_at);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    // 07:00 KST is 22:00 UTC.
    expect(next.toISOString().slice(11)).toBe('22:00:00.000Z');
  });

  it.each([
    [{}, 'MISSING_FIELD', 'snapshot_schedule'],
    [{ snapshot_schedule: { hour: '1' } }, 'MISSING_FIELD', 'snapshot_schedule.frequency'],
    [{ snapshot_schedule: { frequency: 'DAILY' } }, 'MISSING_FIELD', 'snapshot_schedule.hour'],
    [
      { snapshot_schedule: { frequency: 'DAILY', hour: 23 } },
      'INVALID_FIELD',
      'snapshot_schedule.hour',
    ],
    [
      { snapshot_schedule: { frequency: 'DAILY', hour: '24' } },
      'INVALID_FIELD',
      'snapshot_schedule.hour',
    ],
    [
      { snapshot_schedule: { frequency: 'DAILY', hour: '07' } },
      'INVALID_FIELD',
      'snapshot_schedule.hour',
    ],
    [
      { snapshot_schedule: { frequency: 'MONTHLY', hour: '1' } },
      'INVALID_FIELD',
      'snapshot_schedule.frequency',
    ],
    [
      { snapshot_schedule: { frequency: 'WEEKLY', hour: '1' } },
      'MISSING_FIELD',
      'snapshot_schedule.day_of_week',
    ],
    [
      { snapshot_schedule: { frequency: 'WEEKLY', hour: '1', day_of_week: 'SUNDAY' } },
      'INVALID_FIELD',
      'snapshot_schedule.day_of_week',
    ],
    [
      { snapshot_schedule: DAILY_23, snapshot_retention_count: 0 },
      'INVALID_FIELD',
      'snapshot_retention_count',
    ],
    [
      { snapshot_schedule: DAILY_23, snapshot_retention_count: 129 },
      'INVALID_FIELD',
      'snapshot_retention_count',
    ],
    [
      { snapshot_schedule: DAILY_23, snapshot_retention_count: 'ten' },
      'INVALID_FIELD',
      'snapshot_retention_count',
    ],
    [
      { snapshot_schedule: DAILY_23, snapshot_retention_count: 2.5 },
      'INVALID_FIELD',
      'snapshot_retention_count',
    ],
  ])('rejects %j with %s on %s', async (body, code, field) => {
    const volume = await createReadyVolume(t.client, 'sched_bad');
    const response = await createSchedule({ volume_id: volume.id, ...body });
    expect(expectError(response, 400, code)).toContain(field);
    expect(response.body.errors[0].source).toEqual({ field });
  });

  it('rejects a missing volume_id', async () => {
    const response = await createSchedule({ snapshot_schedule: DAILY_23 });
    expect(expectError(response, 400, 'MISSING_FIELD')).toContain('volume_id');
  });

  it('returns 404 for an unknown volume', async () => {
    const response = await createSchedule({ volume_id: UNKNOWN_ID, snapshot_schedule: DAILY_23 });
    expectError(response, 404, 'VOLUME_NOT_FOUND');
  });

  it('returns 409 for a second schedule at the same time', async () => {
    const volume = await createReadyVolume(t.client, 'sched_dup');
    const weekly = { frequency: 'WEEKLY', hour: '3', day_of_week: 'TUE' };
    await scheduleId(volume.id, { snapshot_schedule: weekly });
    const again = await createSchedule({ volume_id: volume.id, snapshot_schedule: weekly });
    expect(expectError(again, 409, 'SNAPSHOT_SCHEDULE_EXISTS')).toContain('day_of_week=TUE');
    const otherDay = { ...weekly, day_of_week: 'WED' };
    expect(
      (await createSchedule({ volume_id: volume.id, snapshot_schedule: otherDay })).status,
    ).toBe(202);
  });
});

describe('ListVolumeSnapshotSchedules', () => {
  it('lists schedules with ids and the policy in 1.1 and 1.0', async () => {
    const volume = await createReadyVolume(t.client, 'sched_list');
    const first = await scheduleId(volume.id, {
      snapshot_schedule: DAILY_23,
      snapshot_retention_count: 5,
    });
    const weekly = { frequency: 'WEEKLY', hour: '12', day_of_week: 'FRI' };
    const second = await scheduleId(volume.id, { snapshot_schedule: weekly });

    for (const version of ['1.1', '1.0'] as const) {
      const list = await listSchedules(volume.id, version);
      expect(list.status).toBe(200);
      expectShape(list.body, SCHEDULE_LIST);
      expect(list.body).toEqual({
        volume_id: volume.id,
        snapshot_schedule: [
          { id: first, frequency: 'DAILY', hour: '23', day_of_week: null },
          { id: second, ...weekly },
        ],
        snapshot_policy_enabled: true,
        snapshot_retention_count: 5,
      });
    }
  });

  it('shows a volume without schedules as disabled', async () => {
    const volume = await createReadyVolume(t.client, 'sched_empty');
    const list = await listSchedules(volume.id);
    expectShape(list.body, SCHEDULE_LIST);
    expect(list.body).toEqual({
      volume_id: volume.id,
      snapshot_schedule: [],
      snapshot_policy_enabled: false,
      snapshot_retention_count: 10,
    });
  });

  it('requires volume_id and a known volume', async () => {
    const missing = await t.client.get('/v1/snapshot-schedules');
    expect(expectError(missing, 400, 'MISSING_FIELD')).toContain('volume_id');
    expectError(await listSchedules(UNKNOWN_ID), 404, 'VOLUME_NOT_FOUND');
  });
});

describe('SetVolumeSnapshotSchedule', () => {
  it('changes the time and the retention count', async () => {
    const volume = await createReadyVolume(t.client, 'sched_set');
    const id = await scheduleId(volume.id, { snapshot_schedule: DAILY_23 });
    const weekly = { frequency: 'WEEKLY', hour: '6', day_of_week: 'SAT' };

    const response = await setSchedule(volume.id, id, {
      snapshot_schedule: weekly,
      snapshot_retention_count: 2,
    });

    expect(response.status, response.text).toBe(202);
    expectShape(response.body, SCHEDULE_CHANGE);
    expect(response.body).toEqual({
      volume_id: volume.id,
      snapshot_schedule: weekly,
      snapshot_retention_count: 2,
    });
    const list = await listSchedules(volume.id);
    expect(list.body.snapshot_schedule).toEqual([{ id, ...weekly }]);
    // Saturday 06:00 KST is Friday 21:00 UTC.
    const next = new Date(scheduleRow(id).next_run_at);
    expect([next.getUTCDay(), next.getUTCHours()]).toEqual([5, 21]);
  });

  it('keeps the retention count when none is sent', async () => {
    const volume = await createReadyVolume(t.client, 'sched_keep');
    const id = await scheduleId(volume.id, {
      snapshot_schedule: DAILY_23,
      snapshot_retention_count: 7,
    });
    const response = await setSchedule(volume.id, id, {
      snapshot_schedule: { frequency: 'DAILY', hour: '1' },
      snapshot_retention_count: null,
    });
    expect(response.body.snapshot_retention_count).toBe(7);
  });

  it('returns 404 for an unknown schedule or one of another volume', async () => {
    const volume = await createReadyVolume(t.client, 'sched_set404');
    const other = await createReadyVolume(t.client, 'sched_other');
    const id = await scheduleId(other.id, { snapshot_schedule: DAILY_23 });
    const body = { snapshot_schedule: DAILY_23 };
    expectError(await setSchedule(volume.id, UNKNOWN_ID, body), 404, 'SNAPSHOT_SCHEDULE_NOT_FOUND');
    const foreign = await setSchedule(volume.id, id, body);
    expectError(foreign, 404, 'SNAPSHOT_SCHEDULE_NOT_FOUND');
    expect(foreign.body.errors[0].source).toEqual({ field: 'snapshot_schedule_id' });
    expectError(await setSchedule(UNKNOWN_ID, id, body), 404, 'VOLUME_NOT_FOUND');
  });

  it('returns 400 for an invalid body', async () => {
    const volume = await createReadyVolume(t.client, 'sched_set400');
    const id = await scheduleId(volume.id, { snapshot_schedule: DAILY_23 });
    const response = await setSchedule(volume.id, id, { snapshot_retention_count: 3 });
    expect(expectError(response, 400, 'MISSING_FIELD')).toContain('snapshot_schedule');
  });

  it('returns 409 when the new time duplicates another schedule', async () => {
    const volume = await createReadyVolume(t.client, 'sched_set409');
    await scheduleId(volume.id, { snapshot_schedule: DAILY_23 });
    const id = await scheduleId(volume.id, {
      snapshot_schedule: { frequency: 'DAILY', hour: '4' },
    });
    const response = await setSchedule(volume.id, id, { snapshot_schedule: DAILY_23 });
    expectError(response, 409, 'SNAPSHOT_SCHEDULE_EXISTS');
    const same = await setSchedule(volume.id, id, {
      snapshot_schedule: { frequency: 'DAILY', hour: '4' },
    });
    expect(same.status).toBe(202);
  });
});

describe('DeleteVolumeSnapshotSchedule', () => {
  it('deletes the schedule and disables an empty policy', async () => {
    const volume = await createReadyVolume(t.client, 'sched_delete');
    const id = await scheduleId(volume.id, {
      snapshot_schedule: DAILY_23,
      snapshot_retention_count: 4,
    });
    const response = await deleteSchedule(volume.id, id);
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    const list = await listSchedules(volume.id);
    expect(list.body.snapshot_schedule).toEqual([]);
    expect(list.body.snapshot_policy_enabled).toBe(false);
    expect(list.body.snapshot_retention_count).toBe(10);
    expectError(await deleteSchedule(volume.id, id), 404, 'SNAPSHOT_SCHEDULE_NOT_FOUND');
  });

  it('requires volume_id and a known volume', async () => {
    const missing = await t.client.delete(`/v1/snapshot-schedules/${UNKNOWN_ID}`);
    expect(expectError(missing, 400, 'MISSING_FIELD')).toContain('volume_id');
    expectError(await deleteSchedule(UNKNOWN_ID, UNKNOWN_ID), 404, 'VOLUME_NOT_FOUND');
  });
});

describe('scheduled snapshots', () => {
  it('fire when due and keep the newest scheduled ones', async () => {
    const volume = await createReadyVolume(t.client, 'sched_fire');
    await writeFile(path.join(volume.path, 'a.txt'), 'v1');
    const manual = await takeSnapshot(t.client, volume.id);
    const id = await scheduleId(volume.id, {
      snapshot_schedule: DAILY_23,
      snapshot_retention_count: 2,
    });

    const scheduled: string[] = [];
    for (let run = 1; run <= 4; run++) {
      await writeFile(path.join(volume.path, 'a.txt'), `run ${run}`);
      await fireNow(id, volume.id);
      const newest = snapshotRows(volume.id)
        .filter((r) => r.kind === 'scheduled')
        .at(-1)!;
      expect(newest.state).toBe('available');
      scheduled.push(newest.id);
    }

    const rows = snapshotRows(volume.id);
    expect(rows.map((r) => r.id)).toEqual([manual, scheduled[2], scheduled[3]]);
    for (const pruned of scheduled.slice(0, 2)) {
      await expect(stat(snapshotPath(volume.path, volume.id, pruned))).rejects.toThrow(/ENOENT/);
    }
    const list = await t.client.get('/v1/snapshots', { query: `volume_id=${volume.id}` });
    expect(list.body.count).toBe(3);
    expect(new Date(scheduleRow(id).next_run_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('apply a lowered retention count after the next scheduled snapshot', async () => {
    const volume = await createReadyVolume(t.client, 'sched_lower');
    await writeFile(path.join(volume.path, 'a.txt'), 'abc');
    const id = await scheduleId(volume.id, {
      snapshot_schedule: DAILY_23,
      snapshot_retention_count: 3,
    });
    for (let run = 0; run < 3; run++) await fireNow(id, volume.id);
    expect(snapshotRows(volume.id)).toHaveLength(3);

    await setSchedule(volume.id, id, { snapshot_schedule: DAILY_23, snapshot_retention_count: 1 });
    expect(snapshotRows(volume.id)).toHaveLength(3);
    await fireNow(id, volume.id);
    expect(snapshotRows(volume.id)).toHaveLength(1);
  });

  it('are removed with their volume, with the schedules', async () => {
    const volume = await createReadyVolume(t.client, 'sched_doomed');
    await writeFile(path.join(volume.path, 'a.txt'), 'abc');
    const id = await scheduleId(volume.id, { snapshot_schedule: DAILY_23 });
    await fireNow(id, volume.id);
    expect((await t.client.delete(`/v1/volumes/${volume.id}`)).status).toBe(202);
    await waitFor(
      async () =>
        (await t.client.get(`/v1/volumes/${volume.id}`)).status === 404 ? true : undefined,
      'volume gone',
    );
    expect(snapshotRows(volume.id)).toEqual([]);
    expect(
      runSql(t.dataDir, 'select id from snapshot_schedules where volume_id = ?', volume.id),
    ).toEqual([]);
    expect(
      runSql(t.dataDir, 'select * from snapshot_policies where volume_id = ?', volume.id),
    ).toEqual([]);
  });
});
