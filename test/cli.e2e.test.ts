import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScpClient } from '../src/cli/client.js';
import { readFileIfExists, type CliContext } from '../src/cli/context.js';
import { runCli } from '../src/cli/run.js';
import { startServer, type RunningServer } from '../src/server.js';

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scpfs-cli-e2e-'));
  server = await startServer(
    { dataDir, host: '127.0.0.1', port: 0 },
    {
      env: {},
      overrides: { runnerIntervalMs: 200 },
      logger: pino({ level: process.env.SCPFS_TEST_LOG_LEVEL ?? 'silent' }),
    },
  );
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process against the test server, with credentials from its data directory. */
async function scpfs(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    output: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    env: { LANG: 'en_US.UTF-8', SCPFS_ENDPOINT: server.url, SCPFS_DATA_DIR: dataDir },
    cwd: dataDir,
    readFile: readFileIfExists,
    sleep: (ms) => delay(ms),
    now: Date.now,
    pollIntervalMs: 100,
    loadServer: () => Promise.reject(new Error('serve is not expected here')),
  };
  const code = await runCli(argv, context);
  return { code, stdout, stderr };
}

/** Runs a command that must succeed and parses its JSON output. */
async function scpfsJson(...argv: string[]): Promise<Record<string, any>> {
  const result = await scpfs('--output', 'json', ...argv);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, any>;
}

async function createVolume(name: string): Promise<Record<string, any>> {
  return scpfsJson(
    'volume',
    'create',
    '--name',
    name,
    '--protocol',
    'NFS',
    '--type-name',
    'HDD',
    '--wait',
  );
}

describe('scpfs volume against a real server', () => {
  it('creates, waits and shows the path', async () => {
    const volume = await createVolume('cli_create');
    expect(volume.state).toBe('available');
    expect(volume.name).toMatch(/^cli_create_[a-z0-9]{6}$/);
    expect(existsSync(volume.path)).toBe(true);

    const shown = await scpfs('volume', 'show', volume.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^Path +${volume.path}$`, 'm'));
    expect(shown.stdout).toMatch(/^State +available$/m);
  });

  it('prints the server JSON unchanged', async () => {
    await createVolume('cli_json');
    const result = await scpfs('--output', 'json', 'volume', 'list', '--sort', 'name:asc');
    const client = new ScpClient({ endpoint: server.url, ...server.rootCredentials });
    const direct = await client.request('GET', '/v1/volumes', { query: { sort: 'name:asc' } });
    expect(result.stdout).toBe(`${direct.text}\n`);
  });

  it('creates in the region of --region', async () => {
    const volume = await scpfsJson(
      'volume',
      'create',
      '--name',
      'cli_east',
      '--protocol',
      'NFS',
      '--type-name',
      'SSD',
      '--region',
      'kr-east1',
      '--wait',
    );
    expect(volume.path).toContain(`${path.sep}kr-east1${path.sep}`);
  });

  it('lists in a table', async () => {
    const volume = await createVolume('cli_table');
    const result = await scpfs('volume', 'list', '--name', volume.name);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +Name +Protocol +Disk type +State +Purpose +Created at$/);
    expect(lines[1]).toContain(volume.id);
    expect(lines.at(-1)).toMatch(/^total: \d+$/);
  });

  it('deletes and waits until gone', async () => {
    const volume = await createVolume('cli_delete');
    const result = await scpfs('volume', 'delete', volume.id, '--wait');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `deletion of volume ${volume.id} accepted\nvolume ${volume.id} deleted\n`,
    );

    const shown = await scpfs('volume', 'show', volume.id);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/^error: .+ \([A-Z_]+, HTTP 404\)\n$/);
  });

  it('works with API version 1.0', async () => {
    const result = await scpfs('--api-version', '1.0', 'volume', 'list');
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('scpfs errors from a real server', () => {
  it('prints the localized detail in Korean', async () => {
    const result = await scpfs(
      '--lang',
      'ko',
      'volume',
      'show',
      '00000000-0000-0000-0000-000000000000',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^오류: .*[가-힣].* \([A-Z_]+, HTTP 404\)\n$/);
  });

  it('prints the localized detail in English', async () => {
    const result = await scpfs('volume', 'show', '00000000-0000-0000-0000-000000000000');
    expect(result.stderr).toMatch(/^error: [\x20-\x7e]+ \([A-Z_]+, HTTP 404\)\n$/);
  });

  it('reports a wrong secret key as 401', async () => {
    const { accessKey } = server.rootCredentials;
    const result = await scpfs(
      '--access-key',
      accessKey,
      '--secret-key',
      'wrong',
      'volume',
      'list',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .+ \([A-Z_]+, HTTP 401\)\n$/);
  });

  it('reports a server-side validation error', async () => {
    const args = [
      'volume',
      'create',
      '--name',
      'cli_cifs',
      '--protocol',
      'CIFS',
      '--type-name',
      'HDD',
    ];
    const result = await scpfs(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .+ \([A-Z_]+, HTTP 400\)\n$/);
  });
});

describe('scpfs replication against a real server', () => {
  it('replicates the files to kr-east1', async () => {
    const source = await createVolume('cli_rep_src');
    mkdirSync(path.join(source.path, 'docs'));
    writeFileSync(path.join(source.path, 'hello.txt'), 'hello\n');
    writeFileSync(path.join(source.path, 'docs', 'report.txt'), 'report\n');

    const replication = await scpfsJson(
      'replication',
      'create',
      '--volume-id',
      source.id,
      '--name',
      'cli_rep_dst',
      '--region',
      'kr-east1',
      '--frequency',
      'hourly',
      '--wait',
    );
    expect(replication.replication_status).toBe('available');
    expect(replication.replication_volume_region).toBe('kr-east1');

    const replica = await scpfsJson('volume', 'show', replication.replication_volume_id);
    expect(replica.purpose).toBe('replication');
    expect(readFileSync(path.join(replica.path, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(readFileSync(path.join(replica.path, 'docs', 'report.txt'), 'utf8')).toBe('report\n');

    const list = await scpfs('replication', 'list', '--volume-id', source.id);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(replication.replication_id);

    const byReplica = await scpfsJson(
      'replication',
      'show',
      replication.replication_id,
      '--volume-id',
      replication.replication_volume_id,
    );
    expect(byReplica.replication_id).toBe(replication.replication_id);
  });

  it('rejects deleting a replicated source', async () => {
    const source = await createVolume('cli_rep_keep');
    const args = ['--volume-id', source.id, '--name', 'cli_keep_dst', '--region', 'kr-east1'];
    expect((await scpfs('replication', 'create', ...args, '--frequency', 'daily')).code).toBe(0);
    const result = await scpfs('volume', 'delete', source.id);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .+ \([A-Z_]+, HTTP 400\)\n$/);
  });

  it('rejects a second replication with 409', async () => {
    const source = await createVolume('cli_rep_twice');
    const args = [
      'replication',
      'create',
      '--volume-id',
      source.id,
      '--region',
      'kr-east1',
      '--frequency',
      'daily',
    ];
    expect((await scpfs(...args, '--name', 'cli_twice_a')).code).toBe(0);
    const second = await scpfs(...args, '--name', 'cli_twice_b');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/\(([A-Z_]+), HTTP 409\)\n$/);
  });

  it('lists the target regions', async () => {
    const result = await scpfsJson(
      'replication',
      'regions',
      '--type-name',
      'HDD',
      '--source-region',
      'kr-west1',
    );
    expect(result.regions).toContain('kr-east1');
  });
});

/** Returns a loopback port that nothing listens on, by binding one and closing it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('scpfs as a process', () => {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const main = path.join(repoRoot, 'src', 'cli', 'main.ts');

  it('exits 0 and prints JSON', async () => {
    const env = { ...process.env, SCPFS_ENDPOINT: server.url, SCPFS_DATA_DIR: dataDir };
    const { stdout } = await execFileAsync(tsx, [main, '--output', 'json', 'volume', 'list'], {
      env,
    });
    expect(JSON.parse(stdout)).toHaveProperty('filestorages');
  });

  it('exits 1 when the server is unreachable', async () => {
    const env = { ...process.env, LANG: 'ko_KR.UTF-8', SCPFS_DATA_DIR: dataDir, LC_ALL: '' };
    const argv = [main, '--endpoint', `http://127.0.0.1:${await closedPort()}`, 'volume', 'list'];
    const error = await execFileAsync(tsx, argv, { env }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('scpfs serve');
    expect((error as { stderr: string }).stderr).toMatch(/^오류: /);
  });
});
