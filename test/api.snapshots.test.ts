import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../src/auth/secrets.js';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import { expectError, expectShape, VOLUME_CREATE } from './helpers/shapes.js';
import { SignedClient } from './helpers/signed-client.js';
import {
  createSnapshot,
  listSnapshots,
  runSql,
  SNAPSHOT_V10,
  SNAPSHOT_V11,
  snapshotPath,
  takeSnapshot,
  waitForSnapshot,
  waitForVolumeState,
} from './helpers/snapshot-flow.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';
import { compareTrees, formatDifferences } from './support/compare-trees.js';
import { generateRealisticTree, mutateTree } from './support/realistic-tree.js';
import { dir, file, symlink, writeTree } from './support/tree.js';

const TOLERANCE = { mtimeToleranceNs: 1000n };
const UNKNOWN_ID = '00000000-0000-0000-0000-000000000000';

/** While set, every file copy of the server waits for it, which pauses a capture or restore. */
let gate: { promise: Promise<void>; release: () => void } | undefined;
let t: TestServer;
let scratch: string;
beforeAll(async () => {
  t = await startTestServer({}, undefined, { beforeFileCopy: () => gate?.promise });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'scpfs-snapshot-ref-'));
});
afterAll(async () => {
  gate?.release();
  await t.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** Runs `work` while file copies are held, and releases them afterwards. */
async function whileCopiesHeld(work: () => Promise<void>): Promise<void> {
  let release = () => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  gate = { promise, release };
  try {
    await work();
  } finally {
    gate = undefined;
    release();
  }
}

function restore(volumeId: string, snapshotId: string, version?: '1.0' | '1.1') {
  return t.client.request('PUT', `/v1/snapshots/${snapshotId}/restore`, {
    query: `volume_id=${volumeId}`,
    version,
  });
}

function deleteSnapshot(volumeId: string, snapshotId: string) {
  return t.client.delete(`/v1/snapshots/${snapshotId}`, { query: `volume_id=${volumeId}` });
}

async function expectSameTree(a: string, b: string): Promise<void> {
  const differences = await compareTrees(a, b, TOLERANCE);
  expect(differences, formatDifferences(differences)).toEqual([]);
}

/** Copies a directory with cp -a, to compare against later. */
function referenceCopy(from: string, name: string): string {
  const to = path.join(scratch, name);
  execFileSync('cp', ['-a', from, to]);
  return to;
}

/** Formats an instant as the name suffix in Seoul time (UTC+9, no daylight saving time). */
function seoulSuffix(iso: string): string {
  const seoul = new Date(new Date(iso).getTime() + 9 * 3600_000).toISOString();
  return `${seoul.slice(0, 10)}_${seoul.slice(11, 19).replaceAll(':', '')}`;
}

describe('CreateVolumeSnapshot', () => {
  it('returns 202 with exactly the SnapshotDetail keys in 1.1', async () => {
    const volume = await createReadyVolume(t.client, 'snap_create');
    const response = await t.client.post('/v1/snapshots', { volume_id: volume.id });
    expect(response.status, response.text).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expectShape(response.body, { snapshot: { ...SNAPSHOT_V11, volume_id: 'string' } });
    const snapshot = response.body.snapshot;
    expect(snapshot.state).toBe('creating');
    expect(snapshot.size).toBeNull();
    expect(snapshot.volume_id).toBe(volume.id);
    const show = await t.client.get(`/v1/volumes/${volume.id}`);
    expect(snapshot.name).toBe(`${show.body.name}.${seoulSuffix(snapshot.created_at)}`);
  });

  it('sends an integer size in 1.0', async () => {
    const volume = await createReadyVolume(t.client, 'snap_create10');
    const response = await t.client.post(
      '/v1/snapshots',
      { volume_id: volume.id },
      { version: '1.0' },
    );
    expect(response.status, response.text).toBe(202);
    expectShape(response.body, { snapshot: { ...SNAPSHOT_V10, volume_id: 'string' } });
    expect(response.body.snapshot.size).toBe(0);
  });

  it('becomes available with its size in bytes', async () => {
    const volume = await createReadyVolume(t.client, 'snap_size');
    await writeTree(volume.path, {
      'a.txt': file('hello'),
      sub: dir({ 'b.bin': file(Buffer.alloc(70_000, 1)), 'c.txt': file('') }),
      link: symlink('a.txt'),
    });
    const id = await createSnapshot(t.client, volume.id);
    const item = await waitForSnapshot(t.client, volume.id, id, 'available');
    expect(item.size).toBe(70_005);
  });

  it.each([
    [{}, 'MISSING_FIELD', 'volume_id'],
    [{ volume_id: 42 }, 'INVALID_FIELD', 'volume_id'],
    [{ volume_id: '' }, 'INVALID_FIELD', 'volume_id'],
  ])('rejects %j with %s', async (body, code, field) => {
    const response = await t.client.post('/v1/snapshots', body);
    expect(expectError(response, 400, code)).toContain(field);
    expect(response.body.errors[0].source).toEqual({ field });
  });

  it('returns 404 for an unknown volume', async () => {
    const response = await t.client.post('/v1/snapshots', { volume_id: UNKNOWN_ID });
    expectError(response, 404, 'VOLUME_NOT_FOUND');
  });
});

describe('ListVolumeSnapshots', () => {
  it('lists newest first with the total size in 1.1 and 1.0', async () => {
    const volume = await createReadyVolume(t.client, 'snap_list');
    await writeFile(path.join(volume.path, 'one.txt'), '12345');
    const first = await takeSnapshot(t.client, volume.id);
    await writeFile(path.join(volume.path, 'two.txt'), '123');
    const second = await takeSnapshot(t.client, volume.id);

    for (const version of ['1.1', '1.0'] as const) {
      const list = await listSnapshots(t.client, volume.id, version);
      expect(list.status).toBe(200);
      expectShape(list.body, {
        count: 'integer',
        snapshots: { array: version === '1.0' ? SNAPSHOT_V10 : SNAPSHOT_V11 },
        snapshot_size_total_byte: 'integer|null',
      });
      expect(list.body.count).toBe(2);
      expect(list.body.snapshots.map((s: { id: string }) => s.id)).toEqual([second, first]);
      expect(list.body.snapshots.map((s: { size: number }) => s.size)).toEqual([8, 5]);
      expect(list.body.snapshot_size_total_byte).toBe(13);
    }
  });

  it('lists nothing for a volume without snapshots', async () => {
    const volume = await createReadyVolume(t.client, 'snap_none');
    const list = await listSnapshots(t.client, volume.id);
    expect(list.body).toEqual({ count: 0, snapshots: [], snapshot_size_total_byte: 0 });
  });

  it('requires volume_id', async () => {
    const response = await t.client.get('/v1/snapshots');
    expect(expectError(response, 400, 'MISSING_FIELD')).toContain('volume_id');
  });

  it('returns 404 for an unknown volume', async () => {
    expectError(await listSnapshots(t.client, UNKNOWN_ID), 404, 'VOLUME_NOT_FOUND');
  });
});

describe('snapshot content', () => {
  it('equals the volume at that time after the volume changes', async () => {
    const volume = await createReadyVolume(t.client, 'snap_content');
    await generateRealisticTree(volume.path, { files: 150, seed: 4 });
    const reference = referenceCopy(volume.path, 'content');
    const id = await takeSnapshot(t.client, volume.id);
    await mutateTree(volume.path, 8);
    await expectSameTree(reference, snapshotPath(volume.path, volume.id, id));
  });

  it('is restored into the volume, deletions included', async () => {
    const volume = await createReadyVolume(t.client, 'snap_restore');
    await generateRealisticTree(volume.path, { files: 150, seed: 6 });
    const reference = referenceCopy(volume.path, 'restore');
    const id = await takeSnapshot(t.client, volume.id);
    const report = await mutateTree(volume.path, 2);
    expect(report.added.length).toBeGreaterThan(0);

    const response = await restore(volume.id, id);
    expect(response.status, response.text).toBe(202);
    expectShape(response.body, { snapshot: SNAPSHOT_V11 });
    expect(response.body.snapshot.state).toBe('restoring');

    await waitForVolumeState(t.client, volume.id, 'available');
    await waitForSnapshot(t.client, volume.id, id, 'available');
    await expectSameTree(reference, volume.path);
  });

  it('restores in 1.0 with an integer size', async () => {
    const volume = await createReadyVolume(t.client, 'snap_restore10');
    await writeFile(path.join(volume.path, 'keep.txt'), 'kept');
    const id = await takeSnapshot(t.client, volume.id);
    await writeFile(path.join(volume.path, 'extra.txt'), 'removed by the restore');
    const response = await restore(volume.id, id, '1.0');
    expect(response.status, response.text).toBe(202);
    expectShape(response.body, { snapshot: SNAPSHOT_V10 });
    expect(response.body.snapshot.size).toBe(4);
    await waitForVolumeState(t.client, volume.id, 'available');
    await expect(stat(path.join(volume.path, 'extra.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('fills a volume created from the snapshot', async () => {
    const volume = await createReadyVolume(t.client, 'snap_source');
    await generateRealisticTree(volume.path, { files: 120, seed: 12 });
    const reference = referenceCopy(volume.path, 'clone');
    const id = await takeSnapshot(t.client, volume.id);
    await mutateTree(volume.path, 3);

    const created = await t.client.post('/v1/volumes', {
      name: 'from_snapshot',
      protocol: 'NFS',
      type_name: 'HDD',
      snapshot_id: id,
    });
    expect(created.status, created.text).toBe(202);
    expectShape(created.body, VOLUME_CREATE);
    expect(created.body.snapshot_id).toBe(id);
    const show = await waitForVolumeState(t.client, created.body.volume_id, 'available');
    await expectSameTree(reference, show.path);
    expect(show.usage).toBe((await listSnapshots(t.client, volume.id)).body.snapshots[0].size);
  });

  it('rejects CreateVolume with an unknown snapshot', async () => {
    const response = await t.client.post('/v1/volumes', {
      name: 'from_nothing',
      protocol: 'NFS',
      type_name: 'HDD',
      snapshot_id: UNKNOWN_ID,
    });
    expectError(response, 404, 'SNAPSHOT_NOT_FOUND');
    expect(response.body.errors[0].source).toEqual({ field: 'snapshot_id' });
  });
});

describe('DeleteVolumeSnapshot', () => {
  it('removes the snapshot and its directory', async () => {
    const volume = await createReadyVolume(t.client, 'snap_delete');
    await writeFile(path.join(volume.path, 'a.txt'), 'abc');
    const id = await takeSnapshot(t.client, volume.id);
    const dirPath = snapshotPath(volume.path, volume.id, id);
    expect((await stat(dirPath)).isDirectory()).toBe(true);

    const response = await deleteSnapshot(volume.id, id);
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    await waitFor(async () => {
      const list = await listSnapshots(t.client, volume.id);
      return list.body.count === 0 ? true : undefined;
    }, 'snapshot removed');
    await expect(stat(dirPath)).rejects.toThrow(/ENOENT/);
    expect((await deleteSnapshot(volume.id, id)).status).toBe(404);
  });

  it('returns 404 for an unknown snapshot or volume', async () => {
    const volume = await createReadyVolume(t.client, 'snap_del404');
    expectError(await deleteSnapshot(volume.id, UNKNOWN_ID), 404, 'SNAPSHOT_NOT_FOUND');
    expectError(await deleteSnapshot(UNKNOWN_ID, UNKNOWN_ID), 404, 'VOLUME_NOT_FOUND');
  });

  it('returns 404 for a snapshot of another volume', async () => {
    const owner = await createReadyVolume(t.client, 'snap_owner');
    const other = await createReadyVolume(t.client, 'snap_other');
    const id = await takeSnapshot(t.client, owner.id);
    const response = await deleteSnapshot(other.id, id);
    expectError(response, 404, 'SNAPSHOT_NOT_FOUND');
    expect(response.body.errors[0].source).toEqual({ field: 'snapshot_id' });
  });

  it('requires volume_id', async () => {
    const response = await t.client.delete(`/v1/snapshots/${UNKNOWN_ID}`);
    expect(expectError(response, 400, 'MISSING_FIELD')).toContain('volume_id');
  });
});

describe('RestoreVolumeSnapshot errors', () => {
  it('returns 404 for an unknown snapshot or volume', async () => {
    const volume = await createReadyVolume(t.client, 'snap_res404');
    expectError(await restore(volume.id, UNKNOWN_ID), 404, 'SNAPSHOT_NOT_FOUND');
    expectError(await restore(UNKNOWN_ID, UNKNOWN_ID), 404, 'VOLUME_NOT_FOUND');
  });

  it('requires volume_id', async () => {
    const response = await t.client.request('PUT', `/v1/snapshots/${UNKNOWN_ID}/restore`);
    expect(expectError(response, 400, 'MISSING_FIELD')).toContain('volume_id');
  });

  it('is authorized as SetVolumeSnapshot', async () => {
    const volume = await createReadyVolume(t.client, 'snap_iam');
    const sealed = SecretBox.openInDataDir(t.dataDir).seal('restricted-secret');
    runSql(
      t.dataDir,
      'insert into access_keys (access_key, account_id, secret_sealed, policy, disabled, created_at) values (?, ?, ?, ?, 0, ?)',
      'AKSNAPSHOTONLY',
      t.server.rootCredentials.accountId,
      sealed,
      '["filestorage:ListVolumeSnapshots"]',
      new Date().toISOString(),
    );
    const client = new SignedClient(t.server.url, {
      accessKey: 'AKSNAPSHOTONLY',
      secretKey: 'restricted-secret',
    });
    expect((await client.get('/v1/snapshots', { query: `volume_id=${volume.id}` })).status).toBe(
      200,
    );
    const denied = await client.request('PUT', `/v1/snapshots/${UNKNOWN_ID}/restore`, {
      query: `volume_id=${volume.id}`,
    });
    expect(expectError(denied, 403, 'ACTION_DENIED')).toContain('filestorage:SetVolumeSnapshot');
  });

  it('rejects a restore into a replica volume', async () => {
    const source = await createReadyVolume(t.client, 'snap_repsrc');
    await writeFile(path.join(source.path, 'a.txt'), 'abc');
    const created = await t.client.post('/v1/replications', seedReplicationBody(source.id));
    expect(created.status, created.text).toBe(202);
    await waitForReplicationStatus(t.client, created.body.replication_id, source.id, 'available');
    const replicaId = created.body.replication_volume_id as string;
    const id = await takeSnapshot(t.client, replicaId);
    expectError(await restore(replicaId, id), 409, 'VOLUME_IS_REPLICATION_TARGET');
  });
});

describe('conflicts while a restore or capture runs', () => {
  it('rejects snapshots, restores and deletes during a restore', async () => {
    const volume = await createReadyVolume(t.client, 'snap_busy');
    await writeFile(path.join(volume.path, 'a.txt'), 'abc');
    const id = await takeSnapshot(t.client, volume.id);
    await writeFile(path.join(volume.path, 'a.txt'), 'changed');

    await whileCopiesHeld(async () => {
      expect((await restore(volume.id, id)).status).toBe(202);
      await waitForVolumeState(t.client, volume.id, 'restoring');
      const create = await t.client.post(
        '/v1/snapshots',
        { volume_id: volume.id },
        { language: 'ko-KR' },
      );
      expect(expectError(create, 409, 'VOLUME_NOT_AVAILABLE')).toContain('restoring');
      expectError(await restore(volume.id, id), 409, 'SNAPSHOT_NOT_AVAILABLE');
      expectError(await deleteSnapshot(volume.id, id), 409, 'SNAPSHOT_IN_USE');
    });

    await waitForVolumeState(t.client, volume.id, 'available');
    await waitForSnapshot(t.client, volume.id, id, 'available');
  });

  it('rejects deleting, restoring and cloning a snapshot being captured', async () => {
    const volume = await createReadyVolume(t.client, 'snap_capturing');
    await writeFile(path.join(volume.path, 'a.txt'), 'abc');

    let id = '';
    await whileCopiesHeld(async () => {
      id = await createSnapshot(t.client, volume.id);
      expectError(await deleteSnapshot(volume.id, id), 409, 'SNAPSHOT_IN_USE');
      expectError(await restore(volume.id, id), 409, 'SNAPSHOT_NOT_AVAILABLE');
      const clone = await t.client.post('/v1/volumes', {
        name: 'too_early',
        protocol: 'NFS',
        type_name: 'HDD',
        snapshot_id: id,
      });
      expectError(clone, 409, 'SNAPSHOT_NOT_AVAILABLE');
    });

    await waitForSnapshot(t.client, volume.id, id, 'available');
  });
});

describe('DeleteVolume', () => {
  it('removes the volume snapshots with it', async () => {
    const volume = await createReadyVolume(t.client, 'snap_doomed');
    await writeFile(path.join(volume.path, 'a.txt'), 'abc');
    const first = await takeSnapshot(t.client, volume.id);
    const second = await takeSnapshot(t.client, volume.id);
    const snapshotsDir = path.dirname(snapshotPath(volume.path, volume.id, first));
    expect((await stat(snapshotPath(volume.path, volume.id, second))).isDirectory()).toBe(true);

    expect((await t.client.delete(`/v1/volumes/${volume.id}`)).status).toBe(202);
    await waitFor(
      async () =>
        (await t.client.get(`/v1/volumes/${volume.id}`)).status === 404 ? true : undefined,
      'volume gone',
    );

    await expect(stat(snapshotsDir)).rejects.toThrow(/ENOENT/);
    const rows = runSql(t.dataDir, 'select id from snapshots where volume_id = ?', volume.id);
    expect(rows).toEqual([]);
    expectError(await listSnapshots(t.client, volume.id), 404, 'VOLUME_NOT_FOUND');
  });
});
