import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import { countRuns, makeRunDue, runOnceMore } from './helpers/runs-db.js';
import { expectError, expectShape, REPLICATION_ITEM, type Shape } from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

const REPLICATION_UPDATE: Shape = { ...REPLICATION_ITEM, backup_retention_count: 'integer|null' };

let slowCopies = false;
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, undefined, {
    beforeFileCopy: () =>
      slowCopies ? new Promise((resolve) => setTimeout(resolve, 20)) : undefined,
  });
});
afterAll(() => t.stop());

/** Creates a source with one file and replicates it to kr-east1, waiting for the baseline. */
async function replicatedVolume(name: string, type: 'replication' | 'backup' = 'replication') {
  const source = await createReadyVolume(t.client, name);
  await writeFile(path.join(source.path, 'hello.txt'), 'hello');
  const created = await t.client.post('/v1/replications', {
    ...seedReplicationBody(source.id),
    replication_type: type,
  });
  expect(created.status, created.text).toBe(202);
  const id = created.body.replication_id as string;
  await waitForReplicationStatus(t.client, id, source.id, 'available');
  return { source, id, replicaId: created.body.replication_volume_id as string };
}

function put(id: string, volumeId: string, body: Record<string, unknown>, language = 'en-US') {
  return t.client.request('PUT', `/v1/replications/${id}`, {
    query: `volume_id=${volumeId}`,
    body,
    language,
  });
}

function show(id: string, volumeId: string) {
  return t.client.get(`/v1/replications/${id}`, { query: `volume_id=${volumeId}` });
}

describe('SetVolumeReplication', () => {
  it('changes the frequency through the replica id as the provider sends it', async () => {
    const r = await replicatedVolume('set_freq');
    const body = {
      replication_update_type: '',
      replication_policy: null,
      replication_frequency: 'daily',
      backup_retention_count: null,
    };
    const response = await put(r.id, r.replicaId, body);
    expect(response.status, response.text).toBe(202);
    expectShape(response.body, REPLICATION_UPDATE);
    expect(response.body.replication_frequency).toBe('daily');
    expect((await show(r.id, r.replicaId)).body.replication_frequency).toBe('daily');
  });

  it('accepts modify_schedule and the frequency alias', async () => {
    const r = await replicatedVolume('set_alias');
    await put(r.id, r.source.id, {
      replication_update_type: 'modify_schedule',
      replication_frequency: 'weekly',
    });
    expect((await show(r.id, r.source.id)).body.replication_frequency).toBe('weekly');
    await put(r.id, r.source.id, {
      replication_update_type: 'frequency',
      replication_frequency: 'monthly',
      backup_retention_count: 7,
    });
    const after = (await show(r.id, r.source.id)).body;
    expect(after.replication_frequency).toBe('monthly');
    expect(after.backup_retention_count).toBe(7);
  });

  it('pauses and resumes, shown at once', async () => {
    const r = await replicatedVolume('set_pause');
    const paused = await put(r.id, r.replicaId, {
      replication_update_type: 'policy',
      replication_policy: 'paused',
    });
    expect(paused.status).toBe(202);
    expect((await show(r.id, r.replicaId)).body.replication_policy).toBe('paused');
    await put(r.id, r.replicaId, { replication_update_type: 'policy', replication_policy: 'use' });
    expect((await show(r.id, r.replicaId)).body.replication_policy).toBe('use');
  });

  it('runs nothing while paused and runs again after resume', async () => {
    const r = await replicatedVolume('paused_runs');
    await put(r.id, r.source.id, {
      replication_update_type: 'policy',
      replication_policy: 'paused',
    });
    await writeFile(path.join(r.source.path, 'later.txt'), 'later');
    const before = countRuns(t.dataDir, r.id, 'succeeded');
    makeRunDue(t.dataDir, r.id);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(countRuns(t.dataDir, r.id, 'succeeded')).toBe(before);

    await put(r.id, r.source.id, { replication_update_type: 'policy', replication_policy: 'use' });
    await waitFor(
      async () => (countRuns(t.dataDir, r.id, 'succeeded') > before ? true : undefined),
      'run after resume',
    );
    const replica = await t.client.get(`/v1/volumes/${r.replicaId}`);
    expect(await readFile(path.join(replica.body.path, 'later.txt'), 'utf8')).toBe('later');
  });

  it('lets a running transfer finish after a pause', async () => {
    const r = await replicatedVolume('pause_mid_run');
    for (let i = 0; i < 40; i++)
      await writeFile(path.join(r.source.path, `f${i}.txt`), `file ${i}`);
    slowCopies = true;
    try {
      const before = countRuns(t.dataDir, r.id, 'succeeded');
      makeRunDue(t.dataDir, r.id);
      await waitForReplicationStatus(t.client, r.id, r.source.id, 'replicating', 10_000);
      await put(r.id, r.source.id, {
        replication_update_type: 'policy',
        replication_policy: 'paused',
      });
      await waitFor(
        async () => (countRuns(t.dataDir, r.id, 'succeeded') > before ? true : undefined),
        'running transfer committed',
      );
      const replica = await t.client.get(`/v1/volumes/${r.replicaId}`);
      expect(await readFile(path.join(replica.body.path, 'f39.txt'), 'utf8')).toBe('file 39');
      expect((await show(r.id, r.source.id)).body.replication_policy).toBe('paused');
    } finally {
      slowCopies = false;
    }
  });

  it.each([
    [{ replication_update_type: 'policy' }, 'MISSING_FIELD', 'replication_policy'],
    [{ replication_update_type: 'modify_schedule' }, 'MISSING_FIELD', 'replication_frequency'],
    [{ replication_update_type: 'resize' }, 'INVALID_FIELD', 'replication_update_type'],
    [
      { replication_update_type: 'policy', replication_policy: 'stopped' },
      'INVALID_FIELD',
      'replication_policy',
    ],
    [
      { replication_update_type: 'modify_schedule', backup_retention_count: 500 },
      'INVALID_FIELD',
      'backup_retention_count',
    ],
    [{ replication_policy: 'paused' }, 'MISSING_FIELD', 'replication_update_type'],
  ])('rejects %j', async (body, code, field) => {
    const r = await replicatedVolume(
      `bad_${code.slice(0, 3).toLowerCase()}_${field.slice(12, 16)}`,
    );
    const detail = expectError(await put(r.id, r.source.id, body), 400, code);
    expect(detail).toContain(field);
  });

  it('returns 404 for another volume id', async () => {
    const r = await replicatedVolume('set_404');
    const other = await createReadyVolume(t.client, 'set_404_other');
    expectError(
      await put(r.id, other.id, {
        replication_update_type: 'policy',
        replication_policy: 'paused',
      }),
      404,
      'REPLICATION_NOT_FOUND',
    );
  });
});

describe('DeleteVolumeReplication', () => {
  it('refuses while the policy is use, telling to pause first', async () => {
    const r = await replicatedVolume('del_in_use');
    const en = expectError(
      await t.client.delete(`/v1/replications/${r.id}`, { query: `volume_id=${r.source.id}` }),
      400,
      'REPLICATION_IN_USE',
    );
    expect(en).toContain("'paused'");
    const ko = expectError(
      await t.client.delete(`/v1/replications/${r.id}`, {
        query: `volume_id=${r.source.id}`,
        language: 'ko-KR',
      }),
      400,
      'REPLICATION_IN_USE',
    );
    expect(ko).toContain('paused');
    expect(ko).toMatch(/먼저/);
  });

  it('refuses deleting either volume while the policy is use', async () => {
    const r = await replicatedVolume('delvol_in_use');
    expectError(await t.client.delete(`/v1/volumes/${r.source.id}`), 400, 'VOLUME_IN_REPLICATION');
    expectError(await t.client.delete(`/v1/volumes/${r.replicaId}`), 400, 'VOLUME_IN_REPLICATION');
  });

  it('turns the replica into an ordinary read-write volume after pause and delete', async () => {
    const r = await replicatedVolume('failover');
    await put(r.id, r.replicaId, {
      replication_update_type: 'policy',
      replication_policy: 'paused',
    });
    const deleted = await t.client.delete(`/v1/replications/${r.id}`, {
      query: `volume_id=${r.replicaId}`,
    });
    expect(deleted.status).toBe(202);
    expect(deleted.text).toBe('');
    await waitFor(
      async () => ((await show(r.id, r.replicaId)).status === 404 ? true : undefined),
      'replication gone',
    );
    const replica = await t.client.get(`/v1/volumes/${r.replicaId}`);
    expect(replica.body.purpose).toBe('none');
    expect(await readFile(path.join(replica.body.path, 'hello.txt'), 'utf8')).toBe('hello');
    const list = await t.client.get('/v1/replications', { query: `volume_id=${r.source.id}` });
    expect(list.body.count).toBe(0);
    const replicaAgain = await t.client.post(
      '/v1/replications',
      seedReplicationBody(r.replicaId, 'kr-west1'),
    );
    expect(replicaAgain.status, 'a former replica can be replicated').toBe(202);
  });

  it('removes the relationship with a paused backup target volume', async () => {
    const r = await replicatedVolume('backup_del', 'backup');
    await put(r.id, r.replicaId, {
      replication_update_type: 'policy',
      replication_policy: 'paused',
    });
    expect((await t.client.delete(`/v1/volumes/${r.replicaId}`)).status).toBe(202);
    await waitFor(
      async () =>
        (await t.client.get(`/v1/volumes/${r.replicaId}`)).status === 404 ? true : undefined,
      'target gone',
    );
    expectError(await show(r.id, r.source.id), 404, 'REPLICATION_NOT_FOUND');
    expect((await t.client.get(`/v1/volumes/${r.source.id}`)).body.state).toBe('available');
  });

  it('rejects changes once a delete is accepted', async () => {
    const r = await replicatedVolume('del_then_set');
    await t.server.runner.stop();
    try {
      await put(r.id, r.source.id, {
        replication_update_type: 'policy',
        replication_policy: 'paused',
      });
      expect(
        (await t.client.delete(`/v1/replications/${r.id}`, { query: `volume_id=${r.source.id}` }))
          .status,
      ).toBe(202);
      expect((await show(r.id, r.source.id)).body.replication_status).toBe('deleting');
      expectError(
        await put(r.id, r.source.id, {
          replication_update_type: 'policy',
          replication_policy: 'use',
        }),
        409,
        'REPLICATION_DELETING',
      );
    } finally {
      await t.server.runner.start();
    }
  });
});

describe('scheduled runs', () => {
  it('schedules the next run on the frequency tick after a success', async () => {
    const r = await replicatedVolume('next_tick');
    await runOnceMore(t.dataDir, r.id);
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(path.join(t.dataDir, 'scpfs.sqlite'));
    const row = db.prepare('select next_run_at from replications where id = ?').get(r.id) as {
      next_run_at: string;
    };
    db.close();
    const next = new Date(row.next_run_at);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCMinutes() % 5).toBe(0);
    expect(next.getUTCSeconds()).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });
});
