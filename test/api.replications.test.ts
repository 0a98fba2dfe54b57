import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  expectShape,
  REGION_LIST,
  REPLICATION_CREATE,
  REPLICATION_LIST,
  REPLICATION_SHOW,
} from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    replicationRoutes: [
      {
        sourceRegion: 'kr-west1',
        replicationType: 'replication',
        typeName: 'HDD',
        targetRegions: ['kr-east1', 'kr-west1'],
      },
      {
        sourceRegion: 'kr-west1',
        replicationType: 'backup',
        typeName: 'HDD',
        targetRegions: ['kr-east1'],
      },
      {
        sourceRegion: 'kr-west1',
        replicationType: 'replication',
        typeName: 'SSD',
        targetRegions: ['kr-east1'],
      },
    ],
  });
});
afterAll(() => t.stop());

async function createVolume(
  name: string,
  extra: Record<string, unknown> = {},
  wait = true,
): Promise<string> {
  const response = await t.client.post('/v1/volumes', {
    name,
    protocol: 'NFS',
    type_name: 'HDD',
    ...extra,
  });
  expect(response.status, response.text).toBe(202);
  const id = response.body.volume_id as string;
  if (wait) {
    await waitFor(
      async () =>
        (await t.client.get(`/v1/volumes/${id}`)).body.state === 'available' ? true : undefined,
      'volume available',
    );
  }
  return id;
}

function seedBody(volumeId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'my_volume',
    cifs_password: 'cifspwd0!!',
    replication_frequency: '5min',
    region: 'kr-east1',
    volume_id: volumeId,
    backup_retention_count: 2,
    replication_type: 'replication',
    ...overrides,
  };
}

describe('CreateVolumeReplication', () => {
  it('returns 202 with exactly the seven keys, then Show works through both ids', async () => {
    const source = await createVolume('repl_source');
    const created = await t.client.post('/v1/replications', seedBody(source));
    expect(created.status, created.text).toBe(202);
    expectShape(created.body, REPLICATION_CREATE);
    expect(created.body.replication_status).toBe('creating');
    expect(created.body.source_volume_region).toBe('kr-west1');
    expect(created.body.replication_volume_region).toBe('kr-east1');
    expect(created.body.protocol).toBe('NFS');

    const { replication_id: id, replication_volume_id: replica } = created.body;
    for (const volumeId of [source, replica]) {
      const show = await t.client.get(`/v1/replications/${id}`, { query: `volume_id=${volumeId}` });
      expect(show.status).toBe(200);
      expectShape(show.body, REPLICATION_SHOW);
      expect(show.body.replication_policy).toBe('use');
      expect(show.body.replication_frequency).toBe('5min');
      expect(show.body.source_volume_access_level).toBe('rw');
      expect(show.body.replication_volume_access_level).toBe('ro');
      expect(show.body.replication_volume_name).toMatch(/^my_volume_[a-z0-9]{6}$/);
      expect(show.body.backup_retention_count).toBe(2);
    }

    const replicaVolume = await t.client.get(`/v1/volumes/${replica}`);
    expect(replicaVolume.body.purpose).toBe('replication');
    await waitFor(async () => {
      const show = await t.client.get(`/v1/replications/${id}`, { query: `volume_id=${source}` });
      return show.body.replication_status === 'available' ? true : undefined;
    }, 'replication available');
  });

  it('is listed through the source and the replica volume', async () => {
    const source = await createVolume('list_source');
    const created = await t.client.post(
      '/v1/replications',
      seedBody(source, { replication_frequency: 'daily' }),
    );
    for (const volumeId of [source, created.body.replication_volume_id]) {
      const list = await t.client.get('/v1/replications', { query: `volume_id=${volumeId}` });
      expectShape(list.body, REPLICATION_LIST);
      expect(list.body.count).toBe(1);
      expect(list.body.replications[0].replication_id).toBe(created.body.replication_id);
    }
  });

  it('works in version 1.0 with deprecation headers', async () => {
    const source = await createVolume('v10_source');
    const created = await t.client.post('/v1/replications', seedBody(source), { version: '1.0' });
    expect(created.status).toBe(202);
    expectShape(created.body, REPLICATION_CREATE);
    expect(created.headers.get('deprecation')).not.toBeNull();
    const show = await t.client.get(`/v1/replications/${created.body.replication_id}`, {
      query: `volume_id=${source}`,
      version: '1.0',
    });
    expectShape(show.body, REPLICATION_SHOW);
  });

  it('accepts a body without the optional fields', async () => {
    const source = await createVolume('bare_source');
    const body = {
      name: 'bare_copy',
      replication_frequency: 'hourly',
      region: 'kr-east1',
      volume_id: source,
      replication_type: 'replication',
    };
    const created = await t.client.post('/v1/replications', body);
    expect(created.status).toBe(202);
    const show = await t.client.get(`/v1/replications/${created.body.replication_id}`, {
      query: `volume_id=${source}`,
    });
    expect(show.body.backup_retention_count).toBeNull();
  });

  it('creates a backup with the default retention of 10', async () => {
    const source = await createVolume('backup_source');
    const created = await t.client.post(
      '/v1/replications',
      seedBody(source, { replication_type: 'backup', backup_retention_count: null }),
    );
    expect(created.status).toBe(202);
    const show = await t.client.get(`/v1/replications/${created.body.replication_id}`, {
      query: `volume_id=${source}`,
    });
    expect(show.body.backup_retention_count).toBe(10);
    expect(show.body.replication_type).toBe('backup');
    const target = await t.client.get(`/v1/volumes/${created.body.replication_volume_id}`);
    expect(target.body.purpose).toBe('backup');
  });
});

describe('CreateVolumeReplication errors', () => {
  it('returns 404 for an unknown source', async () => {
    expectError(
      await t.client.post('/v1/replications', seedBody('no-such-volume')),
      404,
      'VOLUME_NOT_FOUND',
    );
  });

  it('returns 409 while the source is creating', async () => {
    const source = await createVolume('young_source', {}, false);
    const response = await t.client.post('/v1/replications', seedBody(source));
    // The runner may already have provisioned it; only a creating source must conflict.
    if (response.status !== 202) expectError(response, 409, 'SOURCE_VOLUME_NOT_AVAILABLE');
  });

  it('returns 409 for a second replication of the same type', async () => {
    const source = await createVolume('twice_source');
    expect((await t.client.post('/v1/replications', seedBody(source))).status).toBe(202);
    expectError(
      await t.client.post('/v1/replications', seedBody(source, { name: 'other_copy' })),
      409,
      'REPLICATION_EXISTS',
    );
  });

  it('allows one replication and one backup of the same source', async () => {
    const source = await createVolume('both_source');
    expect((await t.client.post('/v1/replications', seedBody(source))).status).toBe(202);
    expect(
      (await t.client.post('/v1/replications', seedBody(source, { replication_type: 'backup' })))
        .status,
    ).toBe(202);
  });

  it('returns 409 when the source is itself a replica', async () => {
    const source = await createVolume('chain_source');
    const created = await t.client.post('/v1/replications', seedBody(source));
    const replica = created.body.replication_volume_id;
    await waitFor(
      async () =>
        (await t.client.get(`/v1/volumes/${replica}`)).body.state === 'available'
          ? true
          : undefined,
      'replica available',
    );
    expectError(
      await t.client.post('/v1/replications', seedBody(replica, { region: 'kr-west1' })),
      409,
      'SOURCE_IS_TARGET',
    );
  });

  it('returns 400 for a region that is not a target of the route', async () => {
    const source = await createVolume('route_source');
    const detail = expectError(
      await t.client.post(
        '/v1/replications',
        seedBody(source, { replication_type: 'backup', region: 'kr-west1' }),
      ),
      400,
      'REGION_NOT_ALLOWED',
    );
    expect(detail).toContain('kr-east1');
  });

  it('returns 400 for a disk type that does not replicate', async () => {
    const source = await createVolume('fast_source', { type_name: 'HighPerformanceSSD' });
    expectError(
      await t.client.post('/v1/replications', seedBody(source)),
      400,
      'REGION_NOT_ALLOWED',
    );
  });

  it('returns 400 for an unknown region', async () => {
    const source = await createVolume('mars_source');
    expectError(
      await t.client.post('/v1/replications', seedBody(source, { region: 'mars-1' })),
      400,
      'UNKNOWN_REGION',
    );
  });

  it('requires a valid cifs_password for a CIFS source', async () => {
    const source = await createVolume('cifs_source', {
      protocol: 'CIFS',
      cifs_password: 'cifspwd0!!',
    });
    expectError(
      await t.client.post('/v1/replications', seedBody(source, { cifs_password: null })),
      400,
      'CIFS_PASSWORD_REQUIRED',
    );
    expectError(
      await t.client.post('/v1/replications', seedBody(source, { cifs_password: 'short' })),
      400,
      'CIFS_PASSWORD_INVALID',
    );
    const created = await t.client.post('/v1/replications', seedBody(source));
    expect(created.status).toBe(202);
    expect(created.body.protocol).toBe('CIFS');
  });

  it('ignores an invalid cifs_password for an NFS source', async () => {
    const source = await createVolume('nfs_pw_source');
    expect(
      (await t.client.post('/v1/replications', seedBody(source, { cifs_password: 'x' }))).status,
    ).toBe(202);
  });

  it.each([
    [{ replication_frequency: 'minutely' }, 'replication_frequency'],
    [{ replication_type: 'mirror' }, 'replication_type'],
    [{ backup_retention_count: 0 }, 'backup_retention_count'],
    [{ backup_retention_count: 129 }, 'backup_retention_count'],
    [{ backup_retention_count: '2' }, 'backup_retention_count'],
    [{ name: 'Replica' }, 'name'],
  ])('rejects %j naming %s', async (overrides, field) => {
    const detail = expectError(
      await t.client.post('/v1/replications', seedBody('any-volume', overrides)),
      400,
      'INVALID_FIELD',
    );
    expect(detail).toContain(field);
  });

  it('rejects a body without volume_id', async () => {
    const body: Record<string, unknown> = seedBody('x');
    delete body.volume_id;
    expectError(await t.client.post('/v1/replications', body), 400, 'MISSING_FIELD');
  });
});

describe('ShowVolumeReplication and ListVolumeReplications errors', () => {
  it('returns 404 for a replication of another volume', async () => {
    const a = await createVolume('show_a');
    const b = await createVolume('show_b');
    const created = await t.client.post('/v1/replications', seedBody(a));
    const response = await t.client.get(`/v1/replications/${created.body.replication_id}`, {
      query: `volume_id=${b}`,
    });
    expectError(response, 404, 'REPLICATION_NOT_FOUND');
  });

  it('requires volume_id', async () => {
    expectError(await t.client.get('/v1/replications'), 400, 'MISSING_FIELD');
  });

  it('returns 404 for an unknown volume', async () => {
    expectError(
      await t.client.get('/v1/replications', { query: 'volume_id=nope' }),
      404,
      'VOLUME_NOT_FOUND',
    );
  });
});

describe('ListVolumeReplicationRegions', () => {
  it('answers from the configured routes as a JSON array', async () => {
    const response = await t.client.get('/v1/replications/regions', {
      query: 'type_name=HDD&source_region_name=kr-west1&replication_type=backup',
    });
    expectShape(response.body, REGION_LIST);
    expect(response.body.regions).toEqual(['kr-east1']);
  });

  it('combines routes when filters are left out', async () => {
    const response = await t.client.get('/v1/replications/regions');
    expect(response.body.regions).toEqual(['kr-east1', 'kr-west1']);
  });

  it('rejects an unknown replication_type', async () => {
    expectError(
      await t.client.get('/v1/replications/regions', { query: 'replication_type=mirror' }),
      400,
      'INVALID_FIELD',
    );
  });
});
