import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stat } from 'node:fs/promises';
import {
  expectError,
  expectShape,
  VOLUME_CREATE,
  VOLUME_ITEM,
  VOLUME_LIST,
  VOLUME_SHOW,
} from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function createAvailableVolume(name: string, extra: Record<string, unknown> = {}) {
  const created = await t.client.post('/v1/volumes', {
    name,
    protocol: 'NFS',
    type_name: 'HDD',
    ...extra,
  });
  expect(created.status, created.text).toBe(202);
  const id = created.body.volume_id as string;
  await waitFor(
    async () =>
      (await t.client.get(`/v1/volumes/${id}`)).body.state === 'available' ? true : undefined,
    'volume available',
  );
  return id;
}

describe('CreateVolume', () => {
  it('returns 202 with exactly the create keys', async () => {
    const response = await t.client.post('/v1/volumes', {
      name: 'my_volume',
      protocol: 'NFS',
      type_name: 'HDD',
    });
    expect(response.status).toBe(202);
    expectShape(response.body, VOLUME_CREATE);
    expect(response.body.volume_name).toMatch(/^my_volume_[a-z0-9]{6}$/);
    expect(response.body.snapshot_id).toBeNull();
  });

  it('goes from creating to available with a real directory', async () => {
    const id = await createAvailableVolume('dir_volume');
    const show = await t.client.get(`/v1/volumes/${id}`);
    expectShape(show.body, VOLUME_SHOW);
    expect(show.body.purpose).toBe('none');
    expect((await stat(show.body.path)).isDirectory()).toBe(true);
  });

  it('accepts null optional fields as the provider sends them', async () => {
    const response = await t.client.post('/v1/volumes', {
      name: 'nulls_volume',
      protocol: 'NFS',
      type_name: 'SSD',
      cifs_password: null,
      snapshot_id: null,
      tags: null,
    });
    expect(response.status).toBe(202);
  });

  it('creates a CIFS volume with a valid password and never returns it', async () => {
    const response = await t.client.post('/v1/volumes', {
      name: 'cifs_volume',
      protocol: 'CIFS',
      type_name: 'HDD',
      cifs_password: 'cifspwd0!!',
    });
    expect(response.status).toBe(202);
    expect(response.text).not.toContain('cifspwd0');
    const show = await t.client.get(`/v1/volumes/${response.body.volume_id}`);
    expect(show.text).not.toContain('cifspwd0');
    expect(show.body.cifs_id).toMatch(/^cifs_/);
  });

  it.each([
    [{ protocol: 'NFS', type_name: 'HDD' }, 'MISSING_FIELD', 'name'],
    [{ name: 'Bad', protocol: 'NFS', type_name: 'HDD' }, 'INVALID_FIELD', 'name'],
    [{ name: 'ab', protocol: 'NFS', type_name: 'HDD' }, 'INVALID_FIELD', 'name'],
    [{ name: 'good_name', protocol: 'SMB', type_name: 'HDD' }, 'INVALID_FIELD', 'protocol'],
    [{ name: 'good_name', protocol: 'NFS', type_name: 'NVME' }, 'INVALID_FIELD', 'type_name'],
    [
      { name: 'good_name', protocol: 'NFS', type_name: 'HDD', tags: [{ key: 'k'.repeat(129) }] },
      'INVALID_FIELD',
      'tags[0].key',
    ],
    [{ name: 42, protocol: 'NFS', type_name: 'HDD' }, 'INVALID_FIELD', 'name'],
  ])('rejects %j with %s on %s', async (body, code, field) => {
    const response = await t.client.post('/v1/volumes', body, { language: 'en-US' });
    const detail = expectError(response, 400, code);
    expect(detail).toContain(field);
    expect(response.body.errors[0].source).toEqual({ field });
  });

  it('names the value and the rule in English and Korean', async () => {
    const body = { name: 'Bad-Name', protocol: 'NFS', type_name: 'HDD' };
    const en = expectError(
      await t.client.post('/v1/volumes', body, { language: 'en-US' }),
      400,
      'INVALID_FIELD',
    );
    expect(en).toContain('"Bad-Name"');
    expect(en).toContain('must match the pattern');
    const ko = expectError(
      await t.client.post('/v1/volumes', body, { language: 'ko-KR' }),
      400,
      'INVALID_FIELD',
    );
    expect(ko).toContain('"Bad-Name"');
    expect(ko).toContain('패턴');
  });

  it('rejects a CIFS volume without a password', async () => {
    const response = await t.client.post('/v1/volumes', {
      name: 'cifs_nopass',
      protocol: 'CIFS',
      type_name: 'HDD',
    });
    expectError(response, 400, 'CIFS_PASSWORD_REQUIRED');
  });

  it('rejects a weak CIFS password without echoing it', async () => {
    const response = await t.client.post('/v1/volumes', {
      name: 'cifs_weak',
      protocol: 'CIFS',
      type_name: 'HDD',
      cifs_password: 'weakpassword',
    });
    expectError(response, 400, 'CIFS_PASSWORD_INVALID');
    expect(response.text).not.toContain('weakpassword');
  });

  it('rejects malformed JSON', async () => {
    const response = await t.client.request('POST', '/v1/volumes', { rawBody: '{"name": ' });
    expectError(response, 400, 'INVALID_JSON');
  });

  it('rejects SSD_SAP_S in version 1.0 only', async () => {
    const body = { name: 'sap_volume', protocol: 'NFS', type_name: 'SSD_SAP_S' };
    expectError(await t.client.post('/v1/volumes', body, { version: '1.0' }), 400, 'INVALID_FIELD');
    expect((await t.client.post('/v1/volumes', body, { version: '1.1' })).status).toBe(202);
  });

  it('creates in the region named by X-Scpfs-Region', async () => {
    const response = await t.client.post(
      '/v1/volumes',
      { name: 'east_volume', protocol: 'NFS', type_name: 'HDD' },
      { headers: { 'X-Scpfs-Region': 'kr-east1' } },
    );
    const show = await t.client.get(`/v1/volumes/${response.body.volume_id}`);
    expect(show.body.path).toContain('kr-east1');
  });

  it('rejects an unknown region header', async () => {
    const response = await t.client.post(
      '/v1/volumes',
      { name: 'nowhere', protocol: 'NFS', type_name: 'HDD' },
      { headers: { 'X-Scpfs-Region': 'mars-1' } },
    );
    expectError(response, 400, 'UNKNOWN_REGION');
  });
});

describe('ListVolumes', () => {
  it('filters, sorts and pages', async () => {
    for (const name of ['list_bbb', 'list_aaa', 'list_ccc']) await createAvailableVolume(name);
    const all = await t.client.get('/v1/volumes', {
      query: 'name=list_&sort=name:asc&limit=2&offset=0',
    });
    expectShape(all.body, VOLUME_LIST);
    expect(all.body.count).toBe(3);
    expect(all.body.filestorages.map((v: { name: string }) => v.name.slice(0, 8))).toEqual([
      'list_aaa',
      'list_bbb',
    ]);
    const second = await t.client.get('/v1/volumes', {
      query: 'name=list_&sort=name:asc&limit=2&offset=2',
    });
    expect(second.body.filestorages).toHaveLength(1);
    for (const item of second.body.filestorages) expectShape(item, VOLUME_ITEM);
  });

  it('filters by type_name', async () => {
    const response = await t.client.get('/v1/volumes', { query: 'type_name=SSD' });
    expect(
      response.body.filestorages.every((v: { type_name: string }) => v.type_name === 'SSD'),
    ).toBe(true);
  });

  it('treats LIKE wildcards in name literally', async () => {
    const response = await t.client.get('/v1/volumes', { query: 'name=%25' });
    expect(response.body.count).toBe(0);
  });

  it.each([
    ['sort=size:asc', 'sort'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['type_name=NVME', 'type_name'],
  ])('rejects query %s', async (query, field) => {
    const detail = expectError(await t.client.get('/v1/volumes', { query }), 400, 'INVALID_FIELD');
    expect(detail).toContain(field);
  });
});

describe('ShowVolume and DeleteVolume', () => {
  it('returns 404 for an unknown volume', async () => {
    expectError(
      await t.client.get('/v1/volumes/00000000-0000-0000-0000-000000000000'),
      404,
      'VOLUME_NOT_FOUND',
    );
  });

  it('deletes the volume and its directory', async () => {
    const id = await createAvailableVolume('doomed_volume');
    const path = (await t.client.get(`/v1/volumes/${id}`)).body.path as string;
    const response = await t.client.delete(`/v1/volumes/${id}`);
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    await waitFor(
      async () => ((await t.client.get(`/v1/volumes/${id}`)).status === 404 ? true : undefined),
      'volume gone',
    );
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('returns 404 when deleting an unknown volume', async () => {
    expectError(await t.client.delete('/v1/volumes/nope'), 404, 'VOLUME_NOT_FOUND');
  });

  it('returns 404 for an unknown route', async () => {
    expectError(await t.client.get('/v1/nothing'), 404, 'ROUTE_NOT_FOUND');
  });
});
