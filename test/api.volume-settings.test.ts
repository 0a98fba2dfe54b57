import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadyVolume } from './helpers/replication-flow.js';
import { expectError, expectShape, type Shape } from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

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

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('SetVolume', () => {
  it('sets file_unit_recovery_enabled and returns it in 1.1', async () => {
    const volume = await createReadyVolume(t.client, 'set_volume');
    const response = await t.client.request('PUT', `/v1/volumes/${volume.id}`, {
      body: { file_unit_recovery_enabled: true },
    });
    expect(response.status).toBe(202);
    expectShape(response.body, { file_unit_recovery_enabled: 'boolean' });
    expect(response.body.file_unit_recovery_enabled).toBe(true);
    expect((await t.client.get(`/v1/volumes/${volume.id}`)).body.file_unit_recovery_enabled).toBe(
      true,
    );
  });

  it('returns no body in 1.0', async () => {
    const volume = await createReadyVolume(t.client, 'set_volume_v10');
    const response = await t.client.request('PUT', `/v1/volumes/${volume.id}`, {
      body: { file_unit_recovery_enabled: false },
      version: '1.0',
    });
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
  });

  it('rejects a string boolean', async () => {
    const volume = await createReadyVolume(t.client, 'set_volume_bad');
    const response = await t.client.request('PUT', `/v1/volumes/${volume.id}`, {
      body: { file_unit_recovery_enabled: 'true' },
    });
    expect(expectError(response, 400, 'INVALID_FIELD')).toContain('file_unit_recovery_enabled');
  });

  it('returns 404 for an unknown volume', async () => {
    const response = await t.client.request('PUT', '/v1/volumes/nope', {
      body: { file_unit_recovery_enabled: true },
    });
    expectError(response, 404, 'VOLUME_NOT_FOUND');
  });
});

describe('access rules', () => {
  it('adds, lists and removes rules', async () => {
    const volume = await createReadyVolume(t.client, 'rules_volume');
    const rulesPath = `/v1/volumes/${volume.id}/access-rules`;
    const added = await t.client.request('PUT', rulesPath, {
      body: { action: 'add', object_type: 'VM', object_id: 'vm-1' },
    });
    expect(added.status).toBe(202);
    expectShape(added.body, ACCESS_RULE);
    expect(added.body).toEqual({
      volume_id: volume.id,
      action: 'add',
      object_type: 'VM',
      object_id: 'vm-1',
    });
    await t.client.request('PUT', rulesPath, {
      body: { action: 'add', object_type: 'VM', object_id: 'vm-1' },
    });
    await t.client.request('PUT', rulesPath, {
      body: { action: 'add', object_type: 'ENDPOINT', object_id: '10.0.0.5' },
    });

    const list = await t.client.get(rulesPath);
    expectShape(list.body, ACCESS_RULE_LIST);
    expect(list.body.count).toBe(2);
    expect(list.body.access_rules[0]).toEqual({
      object_type: 'VM',
      object_id: 'vm-1',
      access_rule_state: 'active',
    });

    expect(
      (
        await t.client.request('PUT', rulesPath, {
          body: { action: 'remove', object_type: 'VM', object_id: 'vm-1' },
        })
      ).status,
    ).toBe(202);
    expect((await t.client.get(rulesPath)).body.count).toBe(1);
  });

  it('returns 404 when removing a rule that does not exist', async () => {
    const volume = await createReadyVolume(t.client, 'rules_missing');
    const response = await t.client.request('PUT', `/v1/volumes/${volume.id}/access-rules`, {
      body: { action: 'remove', object_type: 'BM', object_id: 'bm-9' },
    });
    expectError(response, 404, 'ACCESS_RULE_NOT_FOUND');
  });

  it.each([
    [{ action: 'grant', object_type: 'VM', object_id: 'x' }, 'action'],
    [{ action: 'add', object_type: 'LAPTOP', object_id: 'x' }, 'object_type'],
    [{ action: 'add', object_type: 'VM', object_id: '' }, 'object_id'],
  ])('rejects %j', async (body, field) => {
    const volume = await createReadyVolume(t.client, `rules_bad_${field.replace('_', '')}`);
    const response = await t.client.request('PUT', `/v1/volumes/${volume.id}/access-rules`, {
      body,
    });
    expect(expectError(response, 400, 'INVALID_FIELD')).toContain(field);
  });

  it('returns 404 listing rules of an unknown volume', async () => {
    expectError(await t.client.get('/v1/volumes/nope/access-rules'), 404, 'VOLUME_NOT_FOUND');
  });
});
