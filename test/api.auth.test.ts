import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedClient } from './helpers/signed-client.js';
import { expectError } from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('signature authentication', () => {
  it('accepts a correctly signed request', async () => {
    expect((await t.client.get('/v1/volumes', { query: 'limit=5&offset=0' })).status).toBe(200);
  });

  it('rejects missing headers naming them', async () => {
    const response = await t.client.get('/v1/volumes', {
      omitHeaders: ['Scp-Signature', 'Scp-Timestamp'],
    });
    const detail = expectError(response, 401, 'AUTH_MISSING_HEADERS');
    expect(detail).toContain('Scp-Signature');
    expect(detail).toContain('Scp-Timestamp');
  });

  it('rejects an unsigned request', async () => {
    const response = await fetch(`${t.server.url}/v1/volumes`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { code: string }[] };
    expect(body.errors[0]!.code).toBe('AUTH_MISSING_HEADERS');
  });

  it('rejects an unknown access key', async () => {
    const stranger = new SignedClient(t.server.url, { accessKey: 'AKNOBODY', secretKey: 'x' });
    expectError(await stranger.get('/v1/volumes'), 401, 'AUTH_UNKNOWN_ACCESS_KEY');
  });

  it('rejects a wrong signature', async () => {
    expectError(
      await t.client.get('/v1/volumes', { secretKey: 'wrong' }),
      401,
      'AUTH_SIGNATURE_MISMATCH',
    );
  });

  it('rejects a signature over another URL', async () => {
    const response = await t.client.get('/v1/volumes', {
      query: 'limit=5',
      headers: { 'Scp-Signature': 'uIlZo3vdOhd/mOFbKgmPsPb5kUKuuLKRXsXb9IDjqYM=' },
    });
    expectError(response, 401, 'AUTH_SIGNATURE_MISMATCH');
  });

  it('rejects a timestamp outside the skew window', async () => {
    const old = String(Date.now() - 16 * 60_000);
    expectError(await t.client.get('/v1/volumes', { timestamp: old }), 401, 'AUTH_TIMESTAMP_SKEW');
  });

  it('rejects a timestamp that is not milliseconds', async () => {
    expectError(
      await t.client.get('/v1/volumes', { timestamp: '2024-01-01' }),
      401,
      'AUTH_INVALID_TIMESTAMP',
    );
  });

  it('accepts the account header of the key and an empty one', async () => {
    const accountId = t.server.rootCredentials.accountId;
    expect((await t.client.get('/v1/volumes', { accountId })).status).toBe(200);
    expect((await t.client.get('/v1/volumes', { accountId: '' })).status).toBe(200);
  });

  it('rejects another account id with 403', async () => {
    expectError(
      await t.client.get('/v1/volumes', { accountId: 'acc-other' }),
      403,
      'ACCOUNT_MISMATCH',
    );
  });

  it('matches header names case-insensitively', async () => {
    const response = await t.client.get('/v1/volumes', {
      omitHeaders: ['Scp-AccessKey'],
      headers: { 'scp-accesskey': t.server.rootCredentials.accessKey },
    });
    expect(response.status).toBe(200);
  });
});

describe('error localization', () => {
  it('answers in Korean for ko-KR', async () => {
    const detail = expectError(
      await t.client.get('/v1/volumes', { secretKey: 'wrong', language: 'ko-KR' }),
      401,
      'AUTH_SIGNATURE_MISMATCH',
    );
    expect(detail).toMatch(/서명/);
  });

  it('answers in English for en-US', async () => {
    const detail = expectError(
      await t.client.get('/v1/volumes', { secretKey: 'wrong', language: 'en-US' }),
      401,
      'AUTH_SIGNATURE_MISMATCH',
    );
    expect(detail).toMatch(/does not match/);
  });

  it('answers in Korean without Accept-Language', async () => {
    const detail = expectError(
      await t.client.get('/v1/volumes', { secretKey: 'wrong', language: null }),
      401,
      'AUTH_SIGNATURE_MISMATCH',
    );
    expect(detail).toMatch(/서명/);
  });
});

describe('disabled access key', () => {
  it('is rejected with its own code', async () => {
    const { default: SQLite } = await import('better-sqlite3');
    const { SecretBox } = await import('../src/auth/secrets.js');
    const path = await import('node:path');
    const sqlite = new SQLite(path.join(t.dataDir, 'scpfs.sqlite'));
    const sealed = SecretBox.openInDataDir(t.dataDir).seal('disabled-secret');
    sqlite
      .prepare(
        'insert into access_keys (access_key, account_id, secret_sealed, policy, disabled, created_at) values (?, ?, ?, ?, 1, ?)',
      )
      .run(
        'AKDISABLED',
        t.server.rootCredentials.accountId,
        sealed,
        '["filestorage:*"]',
        new Date().toISOString(),
      );
    sqlite.close();
    const client = new SignedClient(t.server.url, {
      accessKey: 'AKDISABLED',
      secretKey: 'disabled-secret',
    });
    expectError(await client.get('/v1/volumes'), 401, 'AUTH_DISABLED_ACCESS_KEY');
  });
});
