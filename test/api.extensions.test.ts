import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import { countRuns } from './helpers/runs-db.js';
import { expectError, expectShape, type Shape } from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

const RUN: Shape = {
  run_id: 'string',
  state: 'string',
  started_at: 'string',
  finished_at: 'string|null',
  duration_ms: 'integer',
  entries_scanned: 'integer',
  files_copied: 'integer',
  bytes_copied: 'integer',
  entries_deleted: 'integer',
  files_total: 'integer',
  bytes_total: 'integer',
  files_done: 'integer',
  bytes_done: 'integer',
  error: 'string|null',
};

const STATUS_KEYS = [
  'replication_id',
  'replication_status',
  'replication_policy',
  'replication_frequency',
  'last_replicated_at',
  'lag_seconds',
  'interval_seconds',
  'health',
  'next_run_at',
  'last_error',
  'last_run',
  'current_run',
];

let slow = false;
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, undefined, {
    beforeFileCopy: () => (slow ? new Promise((resolve) => setTimeout(resolve, 30)) : undefined),
  });
});
afterAll(() => t.stop());

async function replicated(name: string) {
  const source = await createReadyVolume(t.client, name);
  await writeFile(path.join(source.path, 'one.txt'), '12345');
  const created = await t.client.post('/v1/replications', seedReplicationBody(source.id));
  const id = created.body.replication_id as string;
  await waitForReplicationStatus(t.client, id, source.id, 'available');
  return { source, id, replicaId: created.body.replication_volume_id as string };
}

const ext = (id: string, what: string) => `/scpfs/v1/replications/${id}/${what}`;

describe('replication status extension', () => {
  it('reports lag, health and the last run with exact keys', async () => {
    const r = await replicated('status_ok');
    const response = await t.client.get(ext(r.id, 'status'), { query: `volume_id=${r.replicaId}` });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual([...STATUS_KEYS].sort());
    expect(response.body.health).toBe('ok');
    expect(response.body.interval_seconds).toBe(300);
    expect(response.body.lag_seconds).toBeGreaterThanOrEqual(0);
    expect(response.body.current_run).toBeNull();
    expectShape(response.body.last_run, RUN, 'last_run');
    expect(response.body.last_run.state).toBe('succeeded');
    expect(response.body.last_run.files_copied).toBe(1);
    expect(response.body.last_run.bytes_copied).toBe(5);
  });

  it('shows progress of a running transfer', async () => {
    const r = await replicated('status_progress');
    for (let i = 0; i < 60; i++)
      await writeFile(path.join(r.source.path, `p${i}.txt`), 'x'.repeat(100));
    slow = true;
    try {
      await t.client.post(ext(r.id, 'sync'), undefined, { query: `volume_id=${r.source.id}` });
      const running = await waitFor(async () => {
        const status = await t.client.get(ext(r.id, 'status'), {
          query: `volume_id=${r.source.id}`,
        });
        const current = status.body.current_run;
        return current && current.files_done > 0 ? current : undefined;
      }, 'progress reported');
      expectShape(running, RUN, 'current_run');
      expect(running.files_total).toBe(60);
      expect(running.bytes_total).toBe(6000);
    } finally {
      slow = false;
    }
    await waitFor(
      async () => (countRuns(t.dataDir, r.id, 'succeeded') === 2 ? true : undefined),
      'second run',
    );
  });

  it('returns 404 through an unrelated volume', async () => {
    const r = await replicated('status_404');
    const other = await createReadyVolume(t.client, 'status_other');
    expectError(
      await t.client.get(ext(r.id, 'status'), { query: `volume_id=${other.id}` }),
      404,
      'REPLICATION_NOT_FOUND',
    );
  });

  it('requires a signature', async () => {
    const r = await replicated('status_unsigned');
    const response = await fetch(`${t.server.url}${ext(r.id, 'status')}?volume_id=${r.source.id}`);
    expect(response.status).toBe(401);
  });
});

describe('replicate now and run history', () => {
  it('starts a run at once and lists runs newest first', async () => {
    const r = await replicated('sync_now');
    await writeFile(path.join(r.source.path, 'two.txt'), 'two');
    const sync = await t.client.post(ext(r.id, 'sync'), undefined, {
      query: `volume_id=${r.source.id}`,
    });
    expect(sync.status).toBe(202);
    expectShape(sync.body, { replication_id: 'string', next_run_at: 'string' });
    await waitFor(
      async () => (countRuns(t.dataDir, r.id, 'succeeded') === 2 ? true : undefined),
      'requested run',
    );

    const runs = await t.client.get(ext(r.id, 'runs'), { query: `volume_id=${r.source.id}` });
    expectShape(runs.body, { count: 'integer', runs: { array: RUN } });
    expect(runs.body.count).toBe(2);
    expect(runs.body.runs[0].files_copied).toBe(1);
    expect(runs.body.runs[0].bytes_copied).toBe(3);
    expect(runs.body.runs[0].started_at >= runs.body.runs[1].started_at).toBe(true);
  });

  it('refuses a paused replication', async () => {
    const r = await replicated('sync_paused');
    const pause = { replication_update_type: 'policy', replication_policy: 'paused' };
    await t.client.request('PUT', `/v1/replications/${r.id}`, {
      query: `volume_id=${r.source.id}`,
      body: pause,
    });
    expectError(
      await t.client.post(ext(r.id, 'sync'), undefined, { query: `volume_id=${r.source.id}` }),
      409,
      'REPLICATION_PAUSED',
    );
  });

  it('pages the history', async () => {
    const r = await replicated('runs_page');
    const page = await t.client.get(ext(r.id, 'runs'), {
      query: `volume_id=${r.source.id}&limit=1&offset=1`,
    });
    expect(page.body.count).toBe(1);
    expect(page.body.runs).toEqual([]);
    expectError(
      await t.client.get(ext(r.id, 'runs'), { query: `volume_id=${r.source.id}&limit=0` }),
      400,
      'INVALID_FIELD',
    );
  });
});

describe('metrics and OpenAPI', () => {
  it('exports lag and transfer counters per replication', async () => {
    const r = await replicated('metrics_repl');
    const text = await (await fetch(`${t.server.url}/metrics`)).text();
    expect(text).toMatch(
      new RegExp(`scpfs_replication_lag_seconds\\{replication_id="${r.id}"\\} \\d+`),
    );
    expect(text).toContain(`scpfs_replication_bytes_transferred_total{replication_id="${r.id}"} 5`);
    expect(text).toContain(`scpfs_replication_files_transferred_total{replication_id="${r.id}"} 1`);
    expect(text).toContain('scpfs_replication_run_duration_seconds_bucket');
  });

  it('serves the OpenAPI document with the extension paths', async () => {
    const response = await fetch(`${t.server.url}/scpfs/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/scpfs/v1/replications/{replication_id}/status',
        '/scpfs/v1/replications/{replication_id}/runs',
        '/scpfs/v1/replications/{replication_id}/sync',
        '/v1/replications',
      ]),
    );
  });
});

describe('metrics token', () => {
  let guarded: TestServer;
  beforeAll(async () => {
    guarded = await startTestServer({ metricsToken: 's3cret-token' });
  });
  afterAll(() => guarded.stop());

  it('requires the bearer token when configured', async () => {
    expect((await fetch(`${guarded.server.url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${guarded.server.url}/metrics`, {
      headers: { Authorization: 'Bearer s3cret-token' },
    });
    expect(ok.status).toBe(200);
  });
});
