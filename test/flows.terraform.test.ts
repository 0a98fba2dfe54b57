import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadyVolume } from './helpers/replication-flow.js';
import { expectShape, REPLICATION_SHOW, type Shape } from './helpers/shapes.js';
import type { ClientResponse, RequestOptions } from './helpers/signed-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

// These tests replay what the official Terraform provider and Go SDK send: a version check before
// every operation, `null` for unset optional fields, updates through the replica volume id.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

/** One SDK call: GET / must list v1.1 before the operation itself is sent. */
async function sdkCall(
  method: string,
  pathname: string,
  options: RequestOptions = {},
): Promise<ClientResponse> {
  const versions = (await (await fetch(`${t.server.url}/`)).json()) as {
    versions: { id: string }[];
  };
  expect(versions.versions.map((v) => v.id)).toContain('v1.1');
  return t.client.request(method, pathname, { ...options, language: 'en-US', accountId: '' });
}

/** Polls ShowVolumeReplication like the provider until `done` holds; 404 fails at once. */
async function pollShow(id: string, volumeId: string, done: (body: any) => boolean): Promise<any> {
  return waitFor(async () => {
    const show = await sdkCall('GET', `/v1/replications/${id}`, { query: `volume_id=${volumeId}` });
    expect(show.status, show.text).toBe(200);
    expectShape(show.body, REPLICATION_SHOW);
    return done(show.body) ? show.body : undefined;
  }, `replication ${id} to reach the expected state`);
}

async function createLikeProvider(
  name: string,
  type: 'replication' | 'backup',
  retention: number | null,
) {
  const source = await createReadyVolume(t.client, name);
  await writeFile(path.join(source.path, 'data.bin'), Buffer.alloc(4096, 7));
  const body = {
    name: `${name}_copy`.slice(0, 21),
    region: 'kr-east1',
    replication_frequency: 'hourly',
    replication_type: type,
    volume_id: source.id,
    cifs_password: null,
    backup_retention_count: retention,
  };
  const created = await sdkCall('POST', '/v1/replications', { body });
  expect(created.status, created.text).toBe(202);
  const id = created.body.replication_id as string;
  await pollShow(id, source.id, (show) => show.replication_policy === 'use');
  return { source, id, replicaId: created.body.replication_volume_id as string };
}

const UPDATE_RESPONSE: Shape = {
  replication_id: 'string',
  replication_frequency: 'string',
  replication_type: 'string',
  source_volume_id: 'string',
  source_volume_region: 'string',
  source_volume_access_level: 'string',
  replication_volume_id: 'string',
  replication_volume_region: 'string',
  replication_volume_access_level: 'string',
  backup_retention_count: 'integer|null',
};

describe('Terraform provider flows', () => {
  it('creates a replication and sees policy use at once', async () => {
    const r = await createLikeProvider('tf_create', 'replication', null);
    const show = await sdkCall('GET', `/v1/replications/${r.id}`, {
      query: `volume_id=${r.source.id}`,
    });
    expect(show.body.replication_policy).toBe('use');
  });

  it('updates the frequency through the replica id with all four fields', async () => {
    const r = await createLikeProvider('tf_update', 'replication', null);
    const body = {
      replication_update_type: 'modify_schedule',
      replication_policy: null,
      replication_frequency: 'daily',
      backup_retention_count: null,
    };
    const response = await sdkCall('PUT', `/v1/replications/${r.id}`, {
      query: `volume_id=${r.replicaId}`,
      body,
    });
    expect(response.status, response.text).toBe(202);
    expectShape(response.body, UPDATE_RESPONSE);
    await pollShow(r.id, r.replicaId, (show) => show.replication_frequency === 'daily');
  });

  it('updates a backup schedule and retention and waits for both', async () => {
    const r = await createLikeProvider('tf_backup_upd', 'backup', 3);
    const body = {
      replication_update_type: 'modify_schedule',
      replication_policy: null,
      replication_frequency: 'weekly',
      backup_retention_count: 5,
    };
    expect(
      (
        await sdkCall('PUT', `/v1/replications/${r.id}`, {
          query: `volume_id=${r.replicaId}`,
          body,
        })
      ).status,
    ).toBe(202);
    await pollShow(
      r.id,
      r.replicaId,
      (show) => show.replication_frequency === 'weekly' && show.backup_retention_count === 5,
    );
  });

  it('pauses through the replica id with an empty update type', async () => {
    const r = await createLikeProvider('tf_pause_empty', 'replication', null);
    const body = {
      replication_update_type: '',
      replication_policy: 'paused',
      replication_frequency: null,
      backup_retention_count: null,
    };
    expect(
      (
        await sdkCall('PUT', `/v1/replications/${r.id}`, {
          query: `volume_id=${r.replicaId}`,
          body,
        })
      ).status,
    ).toBe(202);
    await pollShow(r.id, r.replicaId, (show) => show.replication_policy === 'paused');
  });

  it('deletes a backup by deleting its target volume after a pause', async () => {
    const r = await createLikeProvider('tf_backup_del', 'backup', 2);
    const pause = {
      replication_update_type: 'policy',
      replication_policy: 'paused',
      replication_frequency: null,
      backup_retention_count: null,
    };
    await sdkCall('PUT', `/v1/replications/${r.id}`, {
      query: `volume_id=${r.replicaId}`,
      body: pause,
    });
    const deleted = await sdkCall('DELETE', `/v1/volumes/${r.replicaId}`);
    expect(deleted.status).toBe(202);
    await waitFor(
      async () =>
        (await sdkCall('GET', `/v1/volumes/${r.replicaId}`)).status === 404 ? true : undefined,
      'backup volume gone',
    );
    const list = await sdkCall('GET', '/v1/replications', { query: `volume_id=${r.source.id}` });
    expect(list.body.count).toBe(0);
  });

  it('pauses, deletes a replication and polls until 404', async () => {
    const r = await createLikeProvider('tf_delete', 'replication', null);
    const pause = {
      replication_update_type: 'policy',
      replication_policy: 'paused',
      replication_frequency: null,
      backup_retention_count: null,
    };
    await sdkCall('PUT', `/v1/replications/${r.id}`, {
      query: `volume_id=${r.replicaId}`,
      body: pause,
    });
    const deleted = await sdkCall('DELETE', `/v1/replications/${r.id}`, {
      query: `volume_id=${r.replicaId}`,
    });
    expect(deleted.status).toBe(202);
    await waitFor(async () => {
      const show = await sdkCall('GET', `/v1/replications/${r.id}`, {
        query: `volume_id=${r.replicaId}`,
      });
      if (show.status === 200) expect(show.body.replication_status).toBe('deleting');
      return show.status === 404 ? true : undefined;
    }, 'replication gone');
    expect((await sdkCall('GET', `/v1/volumes/${r.replicaId}`)).body.purpose).toBe('none');
  });
});
