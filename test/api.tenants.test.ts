import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../src/admin/admin-service.js';
import { createReadyVolume, seedReplicationBody } from './helpers/replication-flow.js';
import { expectError } from './helpers/shapes.js';
import { SignedClient } from './helpers/signed-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let t: TestServer;
/** Account A is the root account; account B is a second tenant with its own key. */
let a: SignedClient;
let b: SignedClient;
let accountB: string;
let volumeA: string;
let volumeB: string;
let replicationA: string;
let replicaA: string;

async function createTenant(dataDir: string): Promise<{ accountId: string; client: SignedClient }> {
  const admin = await AdminService.open(dataDir);
  try {
    const account = await admin.createAccount({ name: 'tenant-b' });
    const key = await admin.createKey({ accountId: account.id });
    return { accountId: account.id, client: new SignedClient(t.server.url, key) };
  } finally {
    await admin.close();
  }
}

beforeAll(async () => {
  t = await startTestServer();
  a = t.client;
  const tenant = await createTenant(t.dataDir);
  accountB = tenant.accountId;
  b = tenant.client;
  volumeA = (await createReadyVolume(a, 'tenant_a')).id;
  volumeB = (await createReadyVolume(b, 'tenant_b')).id;
  const replication = await a.post('/v1/replications', seedReplicationBody(volumeA));
  expect(replication.status, replication.text).toBe(202);
  replicationA = replication.body.replication_id;
  replicaA = replication.body.replication_volume_id;
});
afterAll(() => t.stop());

function replicationPath(query: string): [string, { query: string }] {
  return [`/v1/replications/${replicationA}`, { query }];
}

describe('volumes across accounts', () => {
  it("creates volumes in the caller's account", async () => {
    expect((await b.get(`/v1/volumes/${volumeB}`)).body.account_id).toBe(accountB);
    expect((await a.get(`/v1/volumes/${volumeA}`)).body.account_id).toBe(
      t.server.rootCredentials.accountId,
    );
  });

  it("returns 404 for another account's volume", async () => {
    expectError(await b.get(`/v1/volumes/${volumeA}`), 404, 'VOLUME_NOT_FOUND');
    expectError(await b.get(`/v1/volumes/${replicaA}`), 404, 'VOLUME_NOT_FOUND');
    expectError(await a.get(`/v1/volumes/${volumeB}`), 404, 'VOLUME_NOT_FOUND');
  });

  it("lists only the caller's volumes", async () => {
    const listB = await b.get('/v1/volumes');
    const idsB = listB.body.filestorages.map((v: { id: string }) => v.id);
    expect(idsB).toEqual([volumeB]);
    expect(listB.body.count).toBe(1);

    const idsA = (await a.get('/v1/volumes')).body.filestorages.map((v: { id: string }) => v.id);
    expect(idsA).toContain(volumeA);
    expect(idsA).not.toContain(volumeB);
  });

  it("finds no other account's volume by name", async () => {
    const list = await b.get('/v1/volumes', { query: 'name=tenant_a' });
    expect(list.body.count).toBe(0);
    expect(list.body.filestorages).toEqual([]);
  });

  it("returns 404 deleting another account's volume", async () => {
    expectError(await b.delete(`/v1/volumes/${volumeA}`), 404, 'VOLUME_NOT_FOUND');
    const show = await a.get(`/v1/volumes/${volumeA}`);
    expect(show.status).toBe(200);
    expect(show.body.state).not.toBe('deleting');
  });

  it("returns 404 for another account's access rules", async () => {
    expectError(await b.get(`/v1/volumes/${volumeA}/access-rules`), 404, 'VOLUME_NOT_FOUND');
  });
});

describe('replications across accounts', () => {
  it("returns 404 replicating another account's volume", async () => {
    const response = await b.post('/v1/replications', seedReplicationBody(volumeA));
    expectError(response, 404, 'VOLUME_NOT_FOUND');
    const list = await a.get('/v1/replications', { query: `volume_id=${volumeA}` });
    expect(list.body.count).toBe(1);
  });

  it("returns 404 listing another account's replications", async () => {
    const response = await b.get('/v1/replications', { query: `volume_id=${volumeA}` });
    expectError(response, 404, 'VOLUME_NOT_FOUND');
    const own = await b.get('/v1/replications', { query: `volume_id=${volumeB}` });
    expect(own.status).toBe(200);
    expect(own.body.count).toBe(0);
  });

  it("returns 404 showing another account's replication", async () => {
    expect((await a.get(...replicationPath(`volume_id=${volumeA}`))).status).toBe(200);
    for (const volumeId of [volumeA, replicaA]) {
      const response = await b.get(...replicationPath(`volume_id=${volumeId}`));
      expectError(response, 404, 'VOLUME_NOT_FOUND');
    }
    const throughOwn = await b.get(...replicationPath(`volume_id=${volumeB}`));
    expectError(throughOwn, 404, 'REPLICATION_NOT_FOUND');
  });

  it("returns 404 changing another account's replication", async () => {
    const response = await b.request('PUT', `/v1/replications/${replicationA}`, {
      query: `volume_id=${volumeA}`,
      body: { replication_update_type: 'policy', replication_policy: 'paused' },
    });
    expectError(response, 404, 'VOLUME_NOT_FOUND');
    const show = await a.get(...replicationPath(`volume_id=${volumeA}`));
    expect(show.body.replication_policy).toBe('use');
  });

  it("returns 404 deleting another account's replication", async () => {
    const response = await b.delete(...replicationPath(`volume_id=${volumeA}`));
    expectError(response, 404, 'VOLUME_NOT_FOUND');
    const show = await a.get(...replicationPath(`volume_id=${volumeA}`));
    expect(show.status).toBe(200);
    expect(show.body.replication_status).not.toBe('deleting');
  });
});
