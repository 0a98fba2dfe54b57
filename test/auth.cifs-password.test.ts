import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import { openSqlite } from '../src/store/db.js';
import { waitForReplicationStatus } from './helpers/replication-flow.js';
import { expectError } from './helpers/shapes.js';
import { SignedClient } from './helpers/signed-client.js';
import { waitFor } from './helpers/wait.js';

/** Passwords that meet the CIFS rule, distinct so that each check names its own leak. */
const VOLUME_PASSWORD = 'Vol1!pw-shareA';
const REPLICA_PASSWORD = 'Rep2!pw-shareB';
/** Rejected passwords: no digit (service check), and longer than the schema allows. */
const INVALID_PASSWORD = 'NoDigit!pw-shareC';
const OVERLONG_PASSWORD = 'Long3!pw-shareD'.repeat(5);
const PASSWORDS = [VOLUME_PASSWORD, REPLICA_PASSWORD, INVALID_PASSWORD, OVERLONG_PASSWORD];

let dataDir: string;
let server: RunningServer;
let client: SignedClient;
const logLines: string[] = [];
const responseTexts: string[] = [];
let volumeId: string;
let replicaId: string;

function databaseBytes(): Buffer {
  const files = readdirSync(dataDir).filter((name) => name.startsWith('scpfs.sqlite'));
  return Buffer.concat(files.map((name) => readFileSync(path.join(dataDir, name))));
}

async function send(method: string, pathname: string, body?: unknown, query?: string) {
  const response = await client.request(method, pathname, { body, query });
  responseTexts.push(response.text);
  return response;
}

async function passwordHashOf(id: string): Promise<string | null> {
  const db = openSqlite(dataDir);
  try {
    const row = await db
      .selectFrom('volumes')
      .select('cifs_password_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.cifs_password_hash;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scpfs-cifs-'));
  const logger = pino({ level: 'trace' }, { write: (line: string) => logLines.push(line) });
  server = await startServer(
    { dataDir, host: '127.0.0.1', port: 0 },
    { env: {}, overrides: { runnerIntervalMs: 100 }, logger },
  );
  client = new SignedClient(server.url, server.rootCredentials);

  const volume = { name: 'cifs_share', protocol: 'CIFS', type_name: 'HDD' };
  const created = await send('POST', '/v1/volumes', { ...volume, cifs_password: VOLUME_PASSWORD });
  expect(created.status, created.text).toBe(202);
  volumeId = created.body.volume_id;
  await waitFor(
    async () =>
      (await send('GET', `/v1/volumes/${volumeId}`)).body.state === 'available' ? true : undefined,
    'CIFS volume available',
  );
  const rejected = await send('POST', '/v1/volumes', {
    ...volume,
    cifs_password: INVALID_PASSWORD,
  });
  expectError(rejected, 400, 'CIFS_PASSWORD_INVALID');
  const overlong = await send('POST', '/v1/volumes', {
    ...volume,
    cifs_password: OVERLONG_PASSWORD,
  });
  expect(overlong.status).toBe(400);

  const replication = await send('POST', '/v1/replications', {
    name: 'cifs_replica',
    cifs_password: REPLICA_PASSWORD,
    replication_frequency: '5min',
    region: 'kr-east1',
    volume_id: volumeId,
    replication_type: 'replication',
  });
  expect(replication.status, replication.text).toBe(202);
  replicaId = replication.body.replication_volume_id;
  await waitForReplicationStatus(client, replication.body.replication_id, volumeId, 'available');
  responseTexts.push((await send('GET', `/v1/volumes/${replicaId}`)).text);
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('CIFS passwords', () => {
  it('are stored as salted scrypt hashes', async () => {
    const volumeHash = await passwordHashOf(volumeId);
    const replicaHash = await passwordHashOf(replicaId);
    expect(volumeHash).toMatch(/^scrypt\$[\w-]{22}\$[\w-]{43}$/);
    expect(replicaHash).toMatch(/^scrypt\$[\w-]{22}\$[\w-]{43}$/);
    expect(volumeHash).not.toBe(replicaHash);
    // Shows that the byte checks below read the files where the rows are.
    expect(databaseBytes().includes(volumeHash!)).toBe(true);
  });

  it('never appear in the database files', () => {
    const bytes = databaseBytes();
    for (const password of PASSWORDS) expect(bytes.includes(password), password).toBe(false);
  });

  it('never appear in the logs', () => {
    const logs = logLines.join('');
    expect(logs).toContain(volumeId);
    expect(logs).toContain('request rejected');
    for (const password of PASSWORDS) expect(logs.includes(password), password).toBe(false);
  });

  it('never appear in responses', () => {
    expect(responseTexts.length).toBeGreaterThan(4);
    const responses = responseTexts.join('\n');
    for (const password of PASSWORDS) expect(responses.includes(password), password).toBe(false);
  });

  it('leave no secret key in the logs', () => {
    expect(logLines.join('').includes(server.rootCredentials.secretKey)).toBe(false);
  });
});
