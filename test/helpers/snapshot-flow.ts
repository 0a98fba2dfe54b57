import path from 'node:path';
import SQLite from 'better-sqlite3';
import { expect } from 'vitest';
import type { Shape } from './shapes.js';
import type { SignedClient } from './signed-client.js';
import { waitFor } from './wait.js';

export const SNAPSHOT_V11: Shape = {
  id: 'string',
  name: 'string',
  state: 'string',
  created_at: 'string',
  size: 'integer|null',
};

/** In 1.0 `size` is required and never null. */
export const SNAPSHOT_V10: Shape = { ...SNAPSHOT_V11, size: 'integer' };

export const SNAPSHOT_SCHEDULE: Shape = {
  frequency: 'string',
  hour: 'string',
  day_of_week: 'string|null',
};

export const SCHEDULE_CHANGE: Shape = {
  volume_id: 'string',
  snapshot_schedule: SNAPSHOT_SCHEDULE,
  snapshot_retention_count: 'integer',
};

export const SCHEDULE_LIST: Shape = {
  volume_id: 'string',
  snapshot_schedule: { array: { id: 'string', ...SNAPSHOT_SCHEDULE } },
  snapshot_policy_enabled: 'boolean',
  snapshot_retention_count: 'integer',
};

/** Directory of a snapshot: `<region root>/snapshots/<volume id>/<snapshot id>`. */
export function snapshotPath(volumePath: string, volumeId: string, snapshotId: string): string {
  return path.join(path.dirname(path.dirname(volumePath)), 'snapshots', volumeId, snapshotId);
}

export function listSnapshots(client: SignedClient, volumeId: string, version?: '1.0' | '1.1') {
  return client.get('/v1/snapshots', { query: `volume_id=${volumeId}`, version });
}

/** Requests a snapshot and returns its id. */
export async function createSnapshot(client: SignedClient, volumeId: string): Promise<string> {
  const created = await client.post('/v1/snapshots', { volume_id: volumeId });
  expect(created.status, created.text).toBe(202);
  return created.body.snapshot.id as string;
}

/** Polls ListVolumeSnapshots until the snapshot has the state; returns its list item. */
export async function waitForSnapshot(
  client: SignedClient,
  volumeId: string,
  snapshotId: string,
  state: string,
): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const list = await listSnapshots(client, volumeId);
    const item = list.body.snapshots?.find((s: { id: string }) => s.id === snapshotId);
    if (item?.state === 'error') throw new Error(`snapshot ${snapshotId} failed`);
    return item?.state === state ? item : undefined;
  }, `snapshot ${snapshotId} ${state}`);
}

/** Takes a snapshot and waits until it is available; returns its id. */
export async function takeSnapshot(client: SignedClient, volumeId: string): Promise<string> {
  const id = await createSnapshot(client, volumeId);
  await waitForSnapshot(client, volumeId, id, 'available');
  return id;
}

/** Polls ShowVolume until the volume has the state; returns the Show body. */
export async function waitForVolumeState(client: SignedClient, volumeId: string, state: string) {
  return waitFor(async () => {
    const show = await client.get(`/v1/volumes/${volumeId}`);
    return show.body.state === state ? show.body : undefined;
  }, `volume ${volumeId} ${state}`);
}

/** Runs one statement on the server's SQLite database, as the runner's own tables allow. */
export function runSql(dataDir: string, sql: string, ...params: unknown[]) {
  const db = new SQLite(path.join(dataDir, 'scpfs.sqlite'));
  try {
    const statement = db.prepare(sql);
    return statement.reader ? statement.all(...params) : statement.run(...params);
  } finally {
    db.close();
  }
}
