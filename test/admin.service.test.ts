import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminError } from '../src/admin/admin-error.js';
import { AdminService } from '../src/admin/admin-service.js';
import { FILESTORAGE_OPERATIONS } from '../src/auth/actions.js';
import { SecretBox } from '../src/auth/secrets.js';
import { migrateToLatest, openSqlite } from '../src/store/db.js';

let dataDir: string;
let admin: AdminService;

/** Creates what a server's first start creates: the migrated database and master.key. */
async function initDataDir(dir: string): Promise<void> {
  const db = openSqlite(dir);
  await migrateToLatest(db);
  await db.destroy();
  SecretBox.openInDataDir(dir);
}

async function expectAdminError(promise: Promise<unknown>, code: string): Promise<AdminError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdminError);
  expect((err as AdminError).code).toBe(code);
  return err as AdminError;
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scpfs-admin-'));
  await initDataDir(dataDir);
  admin = await AdminService.open(dataDir, () => new Date('2025-01-02T03:04:05.000Z'));
});

afterEach(async () => {
  await admin.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('AdminService.open', () => {
  it('rejects a directory without database', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'scpfs-admin-empty-'));
    try {
      const err = await expectAdminError(AdminService.open(empty), 'DATA_DIR_NOT_INITIALIZED');
      expect(err.params).toEqual({ dataDir: empty, file: path.join(empty, 'scpfs.sqlite') });
      expect(existsSync(path.join(empty, 'scpfs.sqlite'))).toBe(false);
      expect(existsSync(path.join(empty, 'master.key'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects a database without master.key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scpfs-admin-nokey-'));
    try {
      writeFileSync(path.join(dir, 'scpfs.sqlite'), '');
      await expectAdminError(AdminService.open(dir), 'MASTER_KEY_MISSING');
      expect(existsSync(path.join(dir, 'master.key'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AdminService accounts', () => {
  it('creates an account with a random hex id', async () => {
    const account = await admin.createAccount({ name: 'tenant-a' });
    expect(account.id).toMatch(/^[0-9a-f]{32}$/);
    expect(account).toMatchObject({ name: 'tenant-a', createdAt: '2025-01-02T03:04:05.000Z' });
    expect(await admin.listAccounts()).toEqual([account]);
  });

  it('creates an account with a given id', async () => {
    const account = await admin.createAccount({ name: 'tenant-b', id: 'acc-0001' });
    expect(account.id).toBe('acc-0001');
  });

  it('rejects a taken name', async () => {
    await admin.createAccount({ name: 'tenant-a' });
    const err = await expectAdminError(
      admin.createAccount({ name: 'tenant-a' }),
      'ACCOUNT_NAME_TAKEN',
    );
    expect(err.params).toEqual({ name: 'tenant-a' });
    expect(await admin.listAccounts()).toHaveLength(1);
  });

  it('rejects a taken id', async () => {
    await admin.createAccount({ name: 'one', id: 'acc-1' });
    await expectAdminError(admin.createAccount({ name: 'two', id: 'acc-1' }), 'ACCOUNT_ID_TAKEN');
  });

  it.each(['', '-lead', 'has space', 'a'.repeat(65), 'slash/name', '한글'])(
    'rejects the name %j',
    async (name) => {
      await expectAdminError(admin.createAccount({ name }), 'INVALID_ACCOUNT_NAME');
    },
  );

  it.each(['', '_x', 'a b', 'b'.repeat(65)])('rejects the id %j', async (id) => {
    await expectAdminError(admin.createAccount({ name: 'ok', id }), 'INVALID_ACCOUNT_ID');
  });

  it('accepts names of 1 and 64 characters', async () => {
    await admin.createAccount({ name: 'a' });
    await admin.createAccount({ name: 'A.b_c-' + 'd'.repeat(58) });
    expect(await admin.listAccounts()).toHaveLength(2);
  });
});

describe('AdminService keys', () => {
  it('creates a key allowing every action by default', async () => {
    const { id } = await admin.createAccount({ name: 'tenant' });
    const key = await admin.createKey({ accountId: id });
    expect(key.accessKey).toMatch(/^AK[0-9A-F]{24}$/);
    expect(key.secretKey.length).toBeGreaterThanOrEqual(40);
    expect(key).toMatchObject({
      accountId: id,
      allowedActions: ['filestorage:*'],
      disabled: false,
    });
  });

  it('accepts every operation, dropping duplicates', async () => {
    const { id } = await admin.createAccount({ name: 'tenant' });
    const actions = FILESTORAGE_OPERATIONS.map((operation) => `filestorage:${operation}`);
    const key = await admin.createKey({ accountId: id, allowedActions: [...actions, actions[0]!] });
    expect(key.allowedActions).toEqual(actions);
    expect(actions).toHaveLength(21);
  });

  it.each([
    'filestorage:CreateVolumes',
    'filestorage:createvolume',
    'CreateVolume',
    'filestorage:',
    '*',
    'filestorage:Create*',
    'iam:*',
    '',
    ' filestorage:ListVolumes',
  ])('rejects the action %j naming it', async (action) => {
    const { id } = await admin.createAccount({ name: 'tenant' });
    const err = await expectAdminError(
      admin.createKey({ accountId: id, allowedActions: ['filestorage:ListVolumes', action] }),
      'INVALID_ACTION',
    );
    expect(err.params).toMatchObject({ value: action });
    expect((err.params as { operations: string }).operations).toContain(
      'ListVolumeReplicationRegions',
    );
    expect(await admin.listKeys()).toEqual([]);
  });

  it('rejects an empty policy', async () => {
    const { id } = await admin.createAccount({ name: 'tenant' });
    await expectAdminError(
      admin.createKey({ accountId: id, allowedActions: [] }),
      'INVALID_ACTION',
    );
  });

  it('rejects an unknown account', async () => {
    const err = await expectAdminError(
      admin.createKey({ accountId: 'nobody' }),
      'ACCOUNT_NOT_FOUND',
    );
    expect(err.params).toEqual({ id: 'nobody' });
    expect(await admin.listAccounts()).toEqual([]);
  });

  it('lists keys without secrets, filtered by account', async () => {
    const a = await admin.createAccount({ name: 'a' });
    const b = await admin.createAccount({ name: 'b' });
    const keyA = await admin.createKey({ accountId: a.id });
    const keyB = await admin.createKey({ accountId: b.id });
    const all = await admin.listKeys();
    expect(all.map((k) => k.accessKey).sort()).toEqual([keyA.accessKey, keyB.accessKey].sort());
    for (const key of all) expect(Object.keys(key)).not.toContain('secretKey');
    expect(JSON.stringify(all)).not.toContain(keyA.secretKey);
    expect((await admin.listKeys(b.id)).map((k) => k.accessKey)).toEqual([keyB.accessKey]);
  });

  it('rejects listing the keys of an unknown account', async () => {
    await expectAdminError(admin.listKeys('nobody'), 'ACCOUNT_NOT_FOUND');
  });

  it('disables and enables a key, repeatably', async () => {
    const { id } = await admin.createAccount({ name: 'tenant' });
    const { accessKey } = await admin.createKey({ accountId: id });
    expect((await admin.setKeyDisabled(accessKey, true)).disabled).toBe(true);
    expect((await admin.setKeyDisabled(accessKey, true)).disabled).toBe(true);
    expect((await admin.listKeys(id))[0]!.disabled).toBe(true);
    expect((await admin.setKeyDisabled(accessKey, false)).disabled).toBe(false);
    expect((await admin.listKeys(id))[0]!.disabled).toBe(false);
  });

  it('rejects disabling an unknown key', async () => {
    const err = await expectAdminError(
      admin.setKeyDisabled('AKNONE', true),
      'ACCESS_KEY_NOT_FOUND',
    );
    expect(err.params).toEqual({ accessKey: 'AKNONE' });
  });
});
