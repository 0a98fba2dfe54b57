import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareTrees } from './support/compare-trees.js';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import { runOnceMore } from './helpers/runs-db.js';
import { expectShape } from './helpers/shapes.js';
import {
  listSnapshots,
  SNAPSHOT_V11,
  snapshotPath,
  waitForVolumeState,
} from './helpers/snapshot-flow.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function backupOf(name: string, retention: number) {
  const source = await createReadyVolume(t.client, name);
  await writeFile(path.join(source.path, 'version.txt'), 'v1');
  const body = {
    ...seedReplicationBody(source.id),
    replication_type: 'backup',
    backup_retention_count: retention,
  };
  const created = await t.client.post('/v1/replications', body);
  expect(created.status, created.text).toBe(202);
  const id = created.body.replication_id as string;
  await waitForReplicationStatus(t.client, id, source.id, 'available');
  return { source, id, targetId: created.body.replication_volume_id as string };
}

describe('disk backup', () => {
  it('keeps a point-in-time copy on the target after each run', async () => {
    const b = await backupOf('backup_copies', 5);
    const list = await listSnapshots(t.client, b.targetId);
    expect(list.body.count).toBe(1);
    expectShape(list.body.snapshots[0], SNAPSHOT_V11);
    expect(list.body.snapshots[0].state).toBe('available');
    expect(list.body.snapshots[0].size).toBe(2);

    await writeFile(path.join(b.source.path, 'version.txt'), 'v2');
    await runOnceMore(t.dataDir, b.id);
    const after = await listSnapshots(t.client, b.targetId);
    expect(after.body.count).toBe(2);
    const target = await t.client.get(`/v1/volumes/${b.targetId}`);
    const [newest, oldest] = after.body.snapshots;
    expect(
      await readFile(
        path.join(snapshotPath(target.body.path, b.targetId, oldest.id), 'version.txt'),
        'utf8',
      ),
    ).toBe('v1');
    expect(
      await readFile(
        path.join(snapshotPath(target.body.path, b.targetId, newest.id), 'version.txt'),
        'utf8',
      ),
    ).toBe('v2');
  });

  it('keeps at most backup_retention_count copies, removing the oldest', async () => {
    const b = await backupOf('backup_prune', 2);
    const first = (await listSnapshots(t.client, b.targetId)).body.snapshots[0].id;
    for (const version of ['v2', 'v3']) {
      await writeFile(path.join(b.source.path, 'version.txt'), version);
      await runOnceMore(t.dataDir, b.id);
    }
    const list = await listSnapshots(t.client, b.targetId);
    expect(list.body.count).toBe(2);
    expect(list.body.snapshots.map((s: { id: string }) => s.id)).not.toContain(first);
  });

  it('follows a retention change from the next run', async () => {
    const b = await backupOf('backup_shrink', 3);
    await runOnceMore(t.dataDir, b.id);
    await runOnceMore(t.dataDir, b.id);
    expect((await listSnapshots(t.client, b.targetId)).body.count).toBe(3);
    const change = { replication_update_type: 'modify_schedule', backup_retention_count: 1 };
    await t.client.request('PUT', `/v1/replications/${b.id}`, {
      query: `volume_id=${b.targetId}`,
      body: change,
    });
    await runOnceMore(t.dataDir, b.id);
    expect((await listSnapshots(t.client, b.targetId)).body.count).toBe(1);
  });

  it('restores a copy into a new volume', async () => {
    const b = await backupOf('backup_restore', 3);
    const copyId = (await listSnapshots(t.client, b.targetId)).body.snapshots[0].id as string;
    await writeFile(path.join(b.source.path, 'version.txt'), 'changed later');
    const created = await t.client.post('/v1/volumes', {
      name: 'restored',
      protocol: 'NFS',
      type_name: 'HDD',
      snapshot_id: copyId,
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body.snapshot_id).toBe(copyId);
    const restored = await waitForVolumeState(t.client, created.body.volume_id, 'available');
    expect(await readFile(path.join(restored.path, 'version.txt'), 'utf8')).toBe('v1');
    const target = await t.client.get(`/v1/volumes/${b.targetId}`);
    expect(
      await compareTrees(snapshotPath(target.body.path, b.targetId, copyId), restored.path, {
        mtimeToleranceNs: 1_000n,
      }),
    ).toEqual([]);
  });

  it('removes the copies with the paused target volume', async () => {
    const b = await backupOf('backup_gone', 3);
    const target = await t.client.get(`/v1/volumes/${b.targetId}`);
    const copyId = (await listSnapshots(t.client, b.targetId)).body.snapshots[0].id as string;
    const pause = { replication_update_type: 'policy', replication_policy: 'paused' };
    await t.client.request('PUT', `/v1/replications/${b.id}`, {
      query: `volume_id=${b.targetId}`,
      body: pause,
    });
    expect((await t.client.delete(`/v1/volumes/${b.targetId}`)).status).toBe(202);
    await waitFor(
      async () =>
        (await t.client.get(`/v1/volumes/${b.targetId}`)).status === 404 ? true : undefined,
      'target removed',
    );
    await expect(stat(snapshotPath(target.body.path, b.targetId, copyId))).rejects.toThrow(
      /ENOENT/,
    );
  });
});
