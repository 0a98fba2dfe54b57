import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../src/admin/admin-service.js';
import { FILESTORAGE_OPERATIONS, isValidAction } from '../src/auth/actions.js';
import { isActionAllowed } from '../src/auth/principal.js';
import { expectError } from './helpers/shapes.js';
import { SignedClient } from './helpers/signed-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

describe('isValidAction', () => {
  it('accepts the wildcard and every operation', () => {
    expect(isValidAction('filestorage:*')).toBe(true);
    for (const operation of FILESTORAGE_OPERATIONS) {
      expect(isValidAction(`filestorage:${operation}`), operation).toBe(true);
    }
  });

  it.each(['*', 'filestorage:', 'filestorage:showvolume', 'ShowVolume', 'other:ShowVolume'])(
    'rejects %j',
    (action) => {
      expect(isValidAction(action)).toBe(false);
    },
  );
});

describe('isActionAllowed', () => {
  it('allows every operation with filestorage:*', () => {
    expect(isActionAllowed(['filestorage:*'], 'DeleteVolume')).toBe(true);
  });

  it('allows only the listed operations', () => {
    const policy = ['filestorage:ShowVolume'];
    expect(isActionAllowed(policy, 'ShowVolume')).toBe(true);
    expect(isActionAllowed(policy, 'ListVolumes')).toBe(false);
  });

  it('does not treat a bare * as a wildcard', () => {
    expect(isActionAllowed(['*'], 'ShowVolume')).toBe(false);
  });

  it('denies everything with an empty policy', () => {
    expect(isActionAllowed([], 'ShowVolume')).toBe(false);
  });
});

function send(client: SignedClient, method: string, path: string, query: string) {
  const body = method === 'GET' || method === 'DELETE' ? undefined : {};
  return client.request(method, path, { query, body, language: 'en-US' });
}

/** Every route of the API with the operation it must be authorized as. */
const ROUTES: [method: string, path: string, query: string, operation: string][] = [
  ['GET', '/v1/volumes', '', 'ListVolumes'],
  ['POST', '/v1/volumes', '', 'CreateVolume'],
  ['GET', '/v1/volumes/v-1', '', 'ShowVolume'],
  ['PUT', '/v1/volumes/v-1', '', 'SetVolume'],
  ['DELETE', '/v1/volumes/v-1', '', 'DeleteVolume'],
  ['GET', '/v1/volumes/v-1/access-rules', '', 'ListVolumeAccessRules'],
  ['PUT', '/v1/volumes/v-1/access-rules', '', 'SetVolumeAccessRule'],
  ['GET', '/v1/replications', 'volume_id=v-1', 'ListVolumeReplications'],
  ['POST', '/v1/replications', '', 'CreateVolumeReplication'],
  ['GET', '/v1/replications/r-1', 'volume_id=v-1', 'ShowVolumeReplication'],
  ['PUT', '/v1/replications/r-1', 'volume_id=v-1', 'SetVolumeReplication'],
  ['DELETE', '/v1/replications/r-1', 'volume_id=v-1', 'DeleteVolumeReplication'],
  ['GET', '/v1/replications/regions', '', 'ListVolumeReplicationRegions'],
  ['GET', '/v1/snapshots', 'volume_id=v-1', 'ListVolumeSnapshots'],
  ['POST', '/v1/snapshots', '', 'CreateVolumeSnapshot'],
  ['DELETE', '/v1/snapshots/s-1', 'volume_id=v-1', 'DeleteVolumeSnapshot'],
  ['PUT', '/v1/snapshots/s-1/restore', 'volume_id=v-1', 'SetVolumeSnapshot'],
  ['GET', '/v1/snapshot-schedules', 'volume_id=v-1', 'ListVolumeSnapshotSchedules'],
  ['POST', '/v1/snapshot-schedules', '', 'CreateVolumeSnapshotSchedule'],
  ['PUT', '/v1/snapshot-schedules/c-1', 'volume_id=v-1', 'SetVolumeSnapshotSchedule'],
  ['DELETE', '/v1/snapshot-schedules/c-1', 'volume_id=v-1', 'DeleteVolumeSnapshotSchedule'],
];

describe('route authorization', () => {
  let t: TestServer;
  let admin: AdminService;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestServer();
    admin = await AdminService.open(t.dataDir);
    accountId = (await admin.createAccount({ name: 'routes' })).id;
  });
  afterAll(async () => {
    await admin.close();
    await t.stop();
  });

  async function clientAllowing(actions: string[]): Promise<SignedClient> {
    const key = await admin.createKey({ accountId, allowedActions: actions });
    return new SignedClient(t.server.url, key);
  }

  it('names only operations of the API', () => {
    for (const [, , , operation] of ROUTES) {
      expect(FILESTORAGE_OPERATIONS as readonly string[], operation).toContain(operation);
    }
  });

  it.each(ROUTES)('denies %s %s without its action', async (method, path, query, operation) => {
    const others = FILESTORAGE_OPERATIONS.filter((o) => o !== operation);
    const client = await clientAllowing(others.map((o) => `filestorage:${o}`));
    const response = await send(client, method, path, query);
    const detail = expectError(response, 403, 'ACTION_DENIED');
    expect(detail).toContain(`'filestorage:${operation}'`);
  });

  it.each(ROUTES)('passes %s %s with its action', async (method, path, query, operation) => {
    const client = await clientAllowing([`filestorage:${operation}`]);
    const response = await send(client, method, path, query);
    expect(response.status, response.text).not.toBe(403);
    expect(response.status, response.text).not.toBe(401);
  });
});
