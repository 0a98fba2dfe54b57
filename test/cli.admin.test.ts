import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileIfExists, type CliContext } from '../src/cli/context.js';
import { runCli } from '../src/cli/run.js';
import { expectError } from './helpers/shapes.js';
import { SignedClient } from './helpers/signed-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, in English unless `--lang` sets another language. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    output: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    env: { LANG: 'en_US.UTF-8', ...env },
    cwd: tmpdir(),
    readFile: readFileIfExists,
    sleep: async () => {},
    now: Date.now,
    pollIntervalMs: 10,
    loadServer: () => Promise.reject(new Error('serve is not expected here')),
  };
  const code = await runCli(argv, context);
  return { code, stdout, stderr };
}

let t: TestServer;
let dataDir: string;

/** Runs an admin command on the test server's data directory, which stays in use by the server. */
function admin(...argv: string[]): Promise<Run> {
  return run(['admin', ...argv, '--data-dir', dataDir]);
}

async function adminJson(...argv: string[]): Promise<any> {
  const result = await admin(...argv, '--output', 'json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

async function createAccount(name: string): Promise<string> {
  return (await adminJson('account', 'create', name)).account_id as string;
}

function clientFor(key: { access_key: string; secret_key: string }): SignedClient {
  return new SignedClient(t.server.url, { accessKey: key.access_key, secretKey: key.secret_key });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scpfs-cli-admin-'));
  t = await startTestServer({}, dataDir);
});

afterAll(async () => {
  await t.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('admin account', () => {
  it('creates an account and prints it as json', async () => {
    const account = await adminJson('account', 'create', 'json-tenant');
    expect(Object.keys(account).sort()).toEqual(['account_id', 'created_at', 'name']);
    expect(account.account_id).toMatch(/^[0-9a-f]{32}$/);
    expect(account.name).toBe('json-tenant');
  });

  it('prints labelled fields for --id', async () => {
    const result = await admin('account', 'create', 'table-tenant', '--id', 'acc-table');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Account ID +acc-table$/m);
    expect(result.stdout).toMatch(/^Name +table-tenant$/m);
  });

  it('lists the root account and created ones', async () => {
    const id = await createAccount('listed-tenant');
    const list = await adminJson('account', 'list');
    const ids = list.accounts.map((a: { account_id: string }) => a.account_id);
    expect(ids).toContain(t.server.rootCredentials.accountId);
    expect(ids).toContain(id);
    expect(list.count).toBe(list.accounts.length);
    expect(list.accounts.find((a: any) => a.account_id === id).name).toBe('listed-tenant');
  });

  it('rejects a taken name in English and Korean', async () => {
    const en = await admin('account', 'create', 'default');
    expect(en.code).toBe(1);
    expect(en.stderr).toBe(
      "error: an account named 'default' already exists. Choose another name, or see the accounts with `scpfs admin account list`\n",
    );
    const ko = await admin('account', 'create', 'default', '--lang', 'ko');
    expect(ko.stderr).toContain("오류: 이름이 'default'인 계정이 이미 있습니다");
  });

  it('rejects an invalid --id naming it', async () => {
    const result = await admin('account', 'create', 'bad-id-tenant', '--id', 'no spaces');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("invalid value 'no spaces' for --id");
  });
});

describe('admin key create', () => {
  it('prints the pair, account and policy as json', async () => {
    const accountId = await createAccount('key-json');
    const key = await adminJson(
      'key',
      'create',
      '--account',
      accountId,
      '--allow',
      'filestorage:ListVolumes,filestorage:ShowVolume',
    );
    expect(key.access_key).toMatch(/^AK[0-9A-F]{24}$/);
    expect(typeof key.secret_key).toBe('string');
    expect(key.account_id).toBe(accountId);
    expect(key.allowed_actions).toEqual(['filestorage:ListVolumes', 'filestorage:ShowVolume']);
    expect(key.disabled).toBe(false);
  });

  it('prints a table with the secret and a one-time note', async () => {
    const accountId = await createAccount('key-table');
    const result = await admin('key', 'create', '--account', accountId);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Secret key +\S{40}$/m);
    expect(result.stdout).toMatch(/^Allowed actions +filestorage:\*$/m);
    expect(result.stdout).toContain('The secret key is shown only this once');
  });

  it('joins repeated --allow options and trims entries', async () => {
    const accountId = await createAccount('key-repeat');
    const key = await adminJson(
      'key',
      'create',
      '--account',
      accountId,
      '--allow',
      'filestorage:ListVolumes, filestorage:ShowVolume',
      '--allow',
      'filestorage:DeleteVolume',
    );
    expect(key.allowed_actions).toEqual([
      'filestorage:ListVolumes',
      'filestorage:ShowVolume',
      'filestorage:DeleteVolume',
    ]);
  });

  it.each(['filestorage:CreateVolumes', 'CreateVolume', 'filestorage:listvolumes', ''])(
    'rejects --allow %j',
    async (action) => {
      const accountId = await createAccount(`bad-allow-${action.length}`);
      const result = await admin('key', 'create', '--account', accountId, '--allow', action);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`invalid value '${action}' for --allow`);
      expect(result.stderr).toContain('Expected filestorage:* or filestorage:<Operation>');
      expect(result.stderr).toContain('ListVolumes, CreateVolume, ShowVolume');
      expect((await adminJson('key', 'list', '--account', accountId)).count).toBe(0);
    },
  );

  it('rejects a trailing comma in --allow', async () => {
    const accountId = await createAccount('trailing-comma');
    const result = await admin(
      'key',
      'create',
      '--account',
      accountId,
      '--allow',
      'filestorage:ListVolumes,',
    );
    expect(result.stderr).toContain("invalid value '' for --allow");
  });

  it('rejects a bad --allow in Korean', async () => {
    const accountId = await createAccount('bad-allow-ko');
    const result = await admin(
      'key',
      'create',
      '--account',
      accountId,
      '--allow',
      'x',
      '--lang',
      'ko',
    );
    expect(result.stderr).toContain("오류: --allow의 값 'x'이(가) 올바르지 않습니다");
    expect(result.stderr).toContain('filestorage:* 또는 filestorage:<Operation>');
  });

  it('rejects an unknown account', async () => {
    const before = (await adminJson('account', 'list')).count;
    const result = await admin('key', 'create', '--account', 'acc-typo');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("account 'acc-typo' not found");
    expect((await adminJson('account', 'list')).count).toBe(before);
  });

  it('requires --account', async () => {
    const result = await admin('key', 'create');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("required option '--account <id>' not specified");
  });
});

describe('admin key list', () => {
  it('never prints a secret key, in table or json', async () => {
    const accountId = await createAccount('list-secrets');
    const created = await adminJson('key', 'create', '--account', accountId);
    const table = await admin('key', 'list');
    const json = await admin('key', 'list', '--output', 'json');
    for (const output of [table.stdout, json.stdout]) {
      expect(output).toContain(created.access_key);
      expect(output).not.toContain(created.secret_key);
      expect(output).not.toContain(t.server.rootCredentials.secretKey);
      expect(output).not.toMatch(/secret/i);
    }
    const item = JSON.parse(json.stdout).access_keys.find(
      (k: any) => k.access_key === created.access_key,
    );
    expect(Object.keys(item).sort()).toEqual([
      'access_key',
      'account_id',
      'allowed_actions',
      'created_at',
      'disabled',
    ]);
  });

  it('filters by account', async () => {
    const accountId = await createAccount('list-filter');
    const created = await adminJson('key', 'create', '--account', accountId);
    const list = await adminJson('key', 'list', '--account', accountId);
    expect(list.count).toBe(1);
    expect(list.access_keys.map((k: any) => k.access_key)).toEqual([created.access_key]);
  });

  it('shows an empty list in the table format', async () => {
    const accountId = await createAccount('list-empty');
    const result = await admin('key', 'list', '--account', accountId);
    expect(result.stdout).toBe('(none)\ntotal: 0\n');
  });
});

describe('created key against the server', () => {
  it('allows listed actions, denies others', async () => {
    const accountId = await createAccount('policy-check');
    const key = await adminJson(
      'key',
      'create',
      '--account',
      accountId,
      '--allow',
      'filestorage:ListVolumes',
    );
    const client = clientFor(key);
    const list = await client.get('/v1/volumes');
    expect(list.status, list.text).toBe(200);
    expect(list.body.count).toBe(0);

    const body = { name: 'denied_volume', protocol: 'NFS', type_name: 'HDD' };
    const en = await client.post('/v1/volumes', body, { language: 'en-US' });
    const detailEn = expectError(en, 403, 'ACTION_DENIED');
    expect(detailEn).toBe(
      "The access key's policy does not allow the action 'filestorage:CreateVolume'. Ask an administrator to allow it.",
    );
    const ko = await client.post('/v1/volumes', body, { language: 'ko-KR' });
    const detailKo = expectError(ko, 403, 'ACTION_DENIED');
    expect(detailKo).toContain("'filestorage:CreateVolume' 작업을 허용하지 않습니다");

    const regions = await client.get('/v1/replications/regions');
    expect(expectError(regions, 403, 'ACTION_DENIED')).toContain(
      'filestorage:ListVolumeReplicationRegions',
    );
  });

  it('allows everything by default', async () => {
    const accountId = await createAccount('policy-all');
    const client = clientFor(await adminJson('key', 'create', '--account', accountId));
    const created = await client.post('/v1/volumes', {
      name: 'tenant_volume',
      protocol: 'NFS',
      type_name: 'HDD',
    });
    expect(created.status, created.text).toBe(202);
    const show = await client.get(`/v1/volumes/${created.body.volume_id}`);
    expect(show.body.account_id).toBe(accountId);
  });

  it('returns 401 while disabled', async () => {
    const accountId = await createAccount('disable-check');
    const key = await adminJson('key', 'create', '--account', accountId);
    const client = clientFor(key);
    expect((await client.get('/v1/volumes')).status).toBe(200);

    const disabled = await admin('key', 'disable', key.access_key);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toBe(`access key ${key.access_key} disabled\n`);
    const rejected = await client.get('/v1/volumes', { language: 'en-US' });
    expect(expectError(rejected, 401, 'AUTH_DISABLED_ACCESS_KEY')).toContain(key.access_key);
    const listed = await adminJson('key', 'list', '--account', accountId);
    expect(listed.access_keys[0].disabled).toBe(true);

    const enabled = await adminJson('key', 'enable', key.access_key);
    expect(enabled).toMatchObject({ access_key: key.access_key, disabled: false });
    expect((await client.get('/v1/volumes')).status).toBe(200);
  });

  it('reports an unknown key to disable', async () => {
    const result = await admin('key', 'disable', 'AKUNKNOWN', '--lang', 'ko');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("액세스 키 'AKUNKNOWN'을(를) 찾을 수 없습니다");
  });
});

describe('admin data directory', () => {
  it('rejects an uninitialized directory', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'scpfs-cli-admin-empty-'));
    try {
      const result = await run(['admin', 'key', 'list', '--data-dir', empty]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${empty} is not an scpfs data directory`);
      expect(result.stderr).toContain(`scpfs serve --data-dir ${empty}`);
      expect(existsSync(path.join(empty, 'scpfs.sqlite'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads SCPFS_DATA_DIR', async () => {
    const result = await run(['admin', 'account', 'list', '--output', 'json'], {
      SCPFS_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).count).toBeGreaterThan(0);
  });

  it('prints help in Korean', async () => {
    const result = await run(['admin', 'key', 'create', '--help', '--lang', 'ko']);
    expect(result.stdout).toContain('허용할 IAM 작업');
    expect(result.stdout).toContain('--account <id>');
  });
});

describe('root key', () => {
  it('stays disabled across a server restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scpfs-cli-admin-root-'));
    let server = await startTestServer({}, dir);
    try {
      const root = server.server.rootCredentials.accessKey;
      const disabled = await run(['admin', 'key', 'disable', root, '--data-dir', dir]);
      expect(disabled.code).toBe(0);
      expectError(await server.client.get('/v1/volumes'), 401, 'AUTH_DISABLED_ACCESS_KEY');

      await server.stop();
      server = await startTestServer({}, dir);
      expectError(await server.client.get('/v1/volumes'), 401, 'AUTH_DISABLED_ACCESS_KEY');

      expect((await run(['admin', 'key', 'enable', root, '--data-dir', dir])).code).toBe(0);
      expect((await server.client.get('/v1/volumes')).status).toBe(200);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
