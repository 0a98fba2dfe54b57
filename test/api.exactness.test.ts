import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import {
  expectShape,
  REGION_LIST,
  REPLICATION_CREATE,
  REPLICATION_ITEM,
  REPLICATION_LIST,
  REPLICATION_SHOW,
  VOLUME_CREATE,
  VOLUME_LIST,
  VOLUME_SHOW,
  type Shape,
} from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Every SCP volume and replication operation, in both API versions, against the strict models.
// Snapshot operations have the same check in their own suites.

const ACCESS_RULE: Shape = {
  volume_id: 'string',
  action: 'string',
  object_type: 'string',
  object_id: 'string',
};
const ACCESS_RULE_LIST: Shape = {
  volume_id: 'string',
  count: 'integer',
  access_rules: {
    array: { object_type: 'string', object_id: 'string', access_rule_state: 'string' },
  },
};
const REPLICATION_UPDATE: Shape = { ...REPLICATION_ITEM, backup_retention_count: 'integer|null' };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe.each(['1.1', '1.0'] as const)('API %s responses', (version) => {
  const tag = version.replace('.', '');
  let volumeId: string;
  let replicationId: string;
  let replicaId: string;

  beforeAll(async () => {
    volumeId = (await createReadyVolume(t.client, `exact_${tag}`)).id;
    const created = await t.client.post('/v1/replications', seedReplicationBody(volumeId), {
      version,
    });
    expect(created.status).toBe(202);
    expectShape(created.body, REPLICATION_CREATE);
    replicationId = created.body.replication_id;
    replicaId = created.body.replication_volume_id;
    await waitForReplicationStatus(t.client, replicationId, volumeId, 'available');
  });

  it('CreateVolume', async () => {
    const response = await t.client.post(
      '/v1/volumes',
      { name: `exact_new_${tag}`, protocol: 'NFS', type_name: 'SSD' },
      { version },
    );
    expect(response.status).toBe(202);
    expectShape(response.body, VOLUME_CREATE);
  });

  it('ListVolumes and ShowVolume', async () => {
    expectShape((await t.client.get('/v1/volumes', { version })).body, VOLUME_LIST);
    for (const id of [volumeId, replicaId])
      expectShape((await t.client.get(`/v1/volumes/${id}`, { version })).body, VOLUME_SHOW);
  });

  it('SetVolumeAccessRule and ListVolumeAccessRules', async () => {
    const body = { action: 'add', object_type: 'VM', object_id: `vm-${tag}` };
    const set = await t.client.request('PUT', `/v1/volumes/${volumeId}/access-rules`, {
      body,
      version,
    });
    expect(set.status).toBe(202);
    expectShape(set.body, ACCESS_RULE);
    expectShape(
      (await t.client.get(`/v1/volumes/${volumeId}/access-rules`, { version })).body,
      ACCESS_RULE_LIST,
    );
  });

  it('ListVolumeReplications and ShowVolumeReplication through both ids', async () => {
    for (const id of [volumeId, replicaId]) {
      expectShape(
        (await t.client.get('/v1/replications', { query: `volume_id=${id}`, version })).body,
        REPLICATION_LIST,
      );
      const show = await t.client.get(`/v1/replications/${replicationId}`, {
        query: `volume_id=${id}`,
        version,
      });
      expectShape(show.body, REPLICATION_SHOW);
      expect(Object.keys(show.body), 'backup_retention_count is a required key in 1.0').toContain(
        'backup_retention_count',
      );
    }
  });

  it('SetVolumeReplication', async () => {
    const body = {
      replication_update_type: 'modify_schedule',
      replication_policy: null,
      replication_frequency: 'hourly',
      backup_retention_count: 4,
    };
    const response = await t.client.request('PUT', `/v1/replications/${replicationId}`, {
      query: `volume_id=${replicaId}`,
      body,
      version,
    });
    expect(response.status).toBe(202);
    expectShape(response.body, REPLICATION_UPDATE);
  });

  it('ListVolumeReplicationRegions', async () => {
    const response = await t.client.get('/v1/replications/regions', {
      query: 'type_name=HDD&source_region_name=kr-west1&replication_type=replication',
      version,
    });
    expectShape(response.body, REGION_LIST);
  });

  it('marks 1.0 responses deprecated and 1.1 responses not', async () => {
    const response = await t.client.get('/v1/volumes', { version });
    expect(response.headers.get('deprecation') !== null).toBe(version === '1.0');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
