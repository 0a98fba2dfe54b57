import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService, type CreatedAccessKey } from '../src/admin/admin-service.js';
import { AccessKeyStore } from '../src/auth/access-keys.js';
import { SecretBox, SecretOpenError } from '../src/auth/secrets.js';
import { openSqlite } from '../src/store/db.js';
import { startTestServer } from './helpers/test-server.js';

/** Concatenates the database file with its WAL and shared-memory files, wherever rows sit. */
function readDatabaseBytes(dataDir: string): Buffer {
  const files = readdirSync(dataDir).filter((name) => name.startsWith('scpfs.sqlite'));
  return Buffer.concat(files.map((name) => readFileSync(path.join(dataDir, name))));
}

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed', () => {
    expect(box.open(box.seal('secret-value'))).toBe('secret-value');
  });

  it('seals the same value differently each time', () => {
    expect(box.seal('secret-value')).not.toBe(box.seal('secret-value'));
  });

  it('fails to open with another master key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal('secret-value'))).toThrow(SecretOpenError);
  });

  it('fails to open an altered value', () => {
    const [version, iv, tag, data] = box.seal('secret-value').split('.');
    const altered = Buffer.from(data!, 'base64url');
    altered[0] = altered[0]! ^ 1;
    const sealed = [version, iv, tag, altered.toString('base64url')].join('.');
    expect(() => box.open(sealed)).toThrow(SecretOpenError);
  });

  it('rejects a master key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});

describe('secret keys at rest', () => {
  let dataDir: string;
  let rootSecret: string;
  let created: CreatedAccessKey;
  let bytesWhileRunning: Buffer;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'scpfs-secrets-'));
    const t = await startTestServer({}, dataDir);
    rootSecret = t.server.rootCredentials.secretKey;
    const admin = await AdminService.open(dataDir);
    const account = await admin.createAccount({ name: 'sealed' });
    created = await admin.createKey({ accountId: account.id });
    await admin.close();
    expect((await t.client.get('/v1/volumes')).status).toBe(200);
    bytesWhileRunning = readDatabaseBytes(dataDir);
    await t.stop();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function sealedSecretOf(accessKey: string): Promise<string> {
    const db = openSqlite(dataDir);
    try {
      const row = await db
        .selectFrom('access_keys')
        .select('secret_sealed')
        .where('access_key', '=', accessKey)
        .executeTakeFirstOrThrow();
      return row.secret_sealed;
    } finally {
      await db.destroy();
    }
  }

  it('keeps no secret key in the database files', () => {
    for (const bytes of [bytesWhileRunning, readDatabaseBytes(dataDir)]) {
      expect(bytes.includes(rootSecret)).toBe(false);
      expect(bytes.includes(created.secretKey)).toBe(false);
      expect(bytes.includes(Buffer.from(created.secretKey, 'base64url'))).toBe(false);
    }
  });

  it('keeps the sealed form in the database files', async () => {
    // Shows that the check above reads the files where the rows are.
    const sealed = await sealedSecretOf(created.accessKey);
    expect(sealed).toMatch(/^v1\./);
    expect(readDatabaseBytes(dataDir).includes(sealed)).toBe(true);
  });

  it('opens with the data directory key', async () => {
    const db = openSqlite(dataDir);
    try {
      const keys = new AccessKeyStore(db, SecretBox.openInDataDir(dataDir));
      expect((await keys.find(created.accessKey))?.secretKey).toBe(created.secretKey);
    } finally {
      await db.destroy();
    }
  });

  it('fails with another master key', async () => {
    const masterKeyFile = path.join(dataDir, 'master.key');
    const original = readFileSync(masterKeyFile);
    writeFileSync(masterKeyFile, randomBytes(32).toString('base64') + '\n');
    const db = openSqlite(dataDir);
    try {
      const keys = new AccessKeyStore(db, SecretBox.openInDataDir(dataDir));
      await expect(keys.find(created.accessKey)).rejects.toThrow(SecretOpenError);
      // Listing reads no secret, so it still works.
      expect((await keys.list()).map((k) => k.accessKey)).toContain(created.accessKey);
    } finally {
      await db.destroy();
      writeFileSync(masterKeyFile, original);
    }
  });

  it('keeps master.key readable by its owner only', () => {
    expect(statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
  });
});
