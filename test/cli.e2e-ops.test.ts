import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScpClient } from '../src/cli/client.js';
import { readFileIfExists, type CliContext } from '../src/cli/context.js';
import { runCli } from '../src/cli/run.js';
import { startServer, type RunningServer } from '../src/server.js';

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scpfs-cli-ops-'));
  server = await startServer(
    { dataDir, host: '127.0.0.1', port: 0 },
    {
      env: {},
      overrides: { runnerIntervalMs: 100 },
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
  const code = await runCli(['--wait-timeout', '60', ...argv], context);
  return { code, stdout, stderr };
}

/** Runs a command that must succeed. */
async function ok(...argv: string[]): Promise<Run> {
  const result = await scpfs(...argv);
  expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

/** Runs a command that must succeed and parses its JSON output. */
async function okJson(...argv: string[]): Promise<Record<string, any>> {
  const result = await ok('--output', 'json', ...argv);
  return JSON.parse(result.stdout) as Record<string, any>;
}

function rootClient(): ScpClient {
  return new ScpClient({ endpoint: server.url, ...server.rootCredentials });
}

async function createVolume(name: string, ...extra: string[]): Promise<Record<string, any>> {
  const args = ['--name', name, '--protocol', 'NFS', '--type-name', 'HDD', '--wait', ...extra];
  return okJson('volume', 'create', ...args);
}

/** Creates a source volume with one file and a replication to kr-east1 whose baseline is done. */
async function replicated(name: string, ...extra: string[]) {
  const source = await createVolume(name);
  writeFileSync(path.join(source.path, 'first.txt'), 'first\n');
  const replication = await okJson(
    'replication',
    'create',
    '--volume-id',
    source.id,
    '--name',
    `${name}_dst`,
    '--region',
    'kr-east1',
    '--frequency',
    'daily',
    '--wait',
    ...extra,
  );
  const replica = await okJson('volume', 'show', replication.replication_volume_id);
  return { source, replication, replica, id: replication.replication_id as string };
}

describe('volume set and access rules', () => {
  it('sets file unit recovery', async () => {
    const volume = await createVolume('ops_fur');
    const set = await ok('volume', 'set', volume.id, '--file-unit-recovery', 'true');
    expect(set.stdout).toBe('File unit recovery  true\n');
    expect((await okJson('volume', 'show', volume.id)).file_unit_recovery_enabled).toBe(true);

    const v10 = await ok(
      '--api-version',
      '1.0',
      'volume',
      'set',
      volume.id,
      '--file-unit-recovery',
      'false',
    );
    expect(v10.stdout).toBe(`volume ${volume.id} updated\n`);
    expect((await okJson('volume', 'show', volume.id)).file_unit_recovery_enabled).toBe(false);
  });

  it('adds, lists and removes a rule', async () => {
    const volume = await createVolume('ops_rules');
    const rule = ['--object-type', 'VM', '--object-id', 'vm-0001'];
    const added = await ok('volume', 'access-rule', 'add', volume.id, ...rule);
    expect(added.stdout).toMatch(/^Action +add$/m);

    const listed = await ok('volume', 'access-rule', 'list', volume.id);
    expect(listed.stdout).toMatch(/^VM +vm-0001 +\w+$/m);
    expect(listed.stdout).toMatch(/^total: 1$/m);

    await ok('volume', 'access-rule', 'remove', volume.id, ...rule);
    const empty = await okJson('volume', 'access-rule', 'list', volume.id);
    expect(empty).toEqual({ volume_id: volume.id, count: 0, access_rules: [] });
  });
});

describe('replication set, status, runs and sync', () => {
  it('changes the schedule', async () => {
    const { source, id } = await replicated('ops_set');
    const set = await ok(
      'replication',
      'set',
      id,
      '--volume-id',
      source.id,
      '--frequency',
      'hourly',
    );
    expect(set.stdout).toMatch(/^Frequency +hourly$/m);
    const retention = ['--backup-retention-count', '4'];
    await ok('replication', 'set', id, '--volume-id', source.id, ...retention);
    const shown = await okJson('replication', 'show', id, '--volume-id', source.id);
    expect(shown.replication_frequency).toBe('hourly');
    expect(shown.backup_retention_count).toBe(4);
  });

  it('status prints the server JSON exactly', async () => {
    const { source, id } = await replicated('ops_status');
    let cli = '';
    let direct = '';
    // lag_seconds moves with the clock, so retry when a second passed between the two reads.
    for (let attempt = 0; attempt < 3 && (cli === '' || cli !== direct); attempt++) {
      cli = (await ok('--output', 'json', 'replication', 'status', id, '--volume-id', source.id))
        .stdout;
      const response = await rootClient().request('GET', `/scpfs/v1/replications/${id}/status`, {
        query: { volume_id: source.id },
      });
      direct = `${response.text}\n`;
    }
    expect(cli).toBe(direct);
    expect(JSON.parse(cli).last_run.state).toBe('succeeded');
  });

  it('status renders readable lines', async () => {
    const { replica, id } = await replicated('ops_human');
    const result = await ok('replication', 'status', id, '--volume-id', replica.id);
    expect(result.stdout).toMatch(/^Health +ok$/m);
    expect(result.stdout).toMatch(/^Lag +\d+ s$/m);
    expect(result.stdout).toMatch(/^Interval +1 d$/m);
    expect(result.stdout).toMatch(
      /^Last run +succeeded, started \S+, took [\d.]+ s: 1 files and 6 B copied/m,
    );
    expect(result.stdout).toMatch(/^Current run +-$/m);
  });

  it('sync --wait returns after the commit', async () => {
    const { source, replica, id } = await replicated('ops_sync');
    writeFileSync(path.join(source.path, 'second.txt'), 'second\n');
    const result = await ok('replication', 'sync', id, '--volume-id', source.id, '--wait');
    expect(readFileSync(path.join(replica.path, 'second.txt'), 'utf8')).toBe('second\n');
    expect(result.stdout).toMatch(
      new RegExp(
        `^replication ${id}: the requested run finished: succeeded, .*1 files and 7 B copied`,
      ),
    );
    // The first status read may already see the requested run transferring or done.
    expect(result.stderr).toMatch(
      new RegExp(
        `^replication ${id}: (waiting for the requested run to start|the requested run is transferring)$`,
        'm',
      ),
    );
    expect(result.stderr).not.toContain('\r');

    const runs = await ok('replication', 'runs', id, '--volume-id', source.id);
    const lines = runs.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Run ID +State +Started at +Duration/);
    expect(lines[1]).toMatch(/ succeeded .* 7 B /);
    expect(lines.at(-1)).toBe('total: 2');
    const page = await okJson('replication', 'runs', id, '--volume-id', source.id, '--limit', '1');
    expect(page.count).toBe(2);
    expect(page.runs).toHaveLength(1);
  });

  it('sync --wait prints the final status in json', async () => {
    const { source, id } = await replicated('ops_sync_json');
    const before = Date.now();
    const status = await okJson('replication', 'sync', id, '--volume-id', source.id, '--wait');
    expect(status.last_run.state).toBe('succeeded');
    expect(Date.parse(status.last_run.started_at)).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe('pause and failover', () => {
  it('pause, delete --wait, the replica is ordinary', async () => {
    const { source, replica, id } = await replicated('ops_failover');
    expect(replica.purpose).toBe('replication');

    const inUse = await scpfs('replication', 'delete', id, '--volume-id', replica.id);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/^error: .+ \(REPLICATION_IN_USE, HTTP 400\)\n$/);

    const paused = await ok('replication', 'pause', id, '--volume-id', replica.id);
    expect(paused.stdout).toMatch(/^Replication ID +\S+$/m);
    expect(paused.stdout).toMatch(new RegExp(`replication ${id} paused\\n$`));
    const status = await okJson('replication', 'status', id, '--volume-id', source.id);
    expect(status.health).toBe('paused');

    const syncPaused = await scpfs('replication', 'sync', id, '--volume-id', source.id);
    expect(syncPaused.stderr).toMatch(/\(REPLICATION_PAUSED, HTTP 409\)\n$/);

    const deleted = await ok('replication', 'delete', id, '--volume-id', replica.id, '--wait');
    expect(deleted.stdout).toBe(
      `deletion of replication ${id} accepted\nreplication ${id} deleted\n`,
    );
    const after = await okJson('volume', 'show', replica.id);
    expect(after.purpose).toBe('none');
    expect(readFileSync(path.join(after.path, 'first.txt'), 'utf8')).toBe('first\n');
    const list = await okJson('replication', 'list', '--volume-id', source.id);
    expect(list.count).toBe(0);
  });

  it('resume sets the policy back', async () => {
    const { source, id } = await replicated('ops_resume');
    await ok('replication', 'pause', id, '--volume-id', source.id);
    const resumed = await ok('replication', 'resume', id, '--volume-id', source.id);
    expect(resumed.stdout).toMatch(new RegExp(`replication ${id} resumed\\n$`));
    const shown = await okJson('replication', 'show', id, '--volume-id', source.id);
    expect(shown.replication_policy).toBe('use');
  });
});

describe('snapshots against a real server', () => {
  it('create, list, restore, new volume, delete', async () => {
    const volume = await createVolume('ops_snap');
    const file = path.join(volume.path, 'data.txt');
    writeFileSync(file, 'version 1\n');

    const created = await okJson('snapshot', 'create', '--volume-id', volume.id, '--wait');
    expect(created.state).toBe('available');
    expect(created.size).toBe(10);

    const listed = await ok('snapshot', 'list', '--volume-id', volume.id);
    expect(listed.stdout).toMatch(new RegExp(`^${created.id} +\\S+ +available +10 B +\\S+$`, 'm'));
    expect(listed.stdout).toMatch(/^total size: 10 B$/m);

    writeFileSync(file, 'version 2\n');
    writeFileSync(path.join(volume.path, 'extra.txt'), 'extra\n');
    const restored = await ok(
      'snapshot',
      'restore',
      created.id,
      '--volume-id',
      volume.id,
      '--wait',
    );
    expect(restored.stdout).toMatch(/^State +restoring$/m);
    expect(restored.stdout).toMatch(
      new RegExp(`volume ${volume.id} restored from snapshot ${created.id}\\n$`),
    );
    expect(readFileSync(file, 'utf8')).toBe('version 1\n');
    expect(existsSync(path.join(volume.path, 'extra.txt'))).toBe(false);

    const copy = await createVolume('ops_snap_copy', '--snapshot-id', created.id);
    expect(copy.state).toBe('available');
    expect(readFileSync(path.join(copy.path, 'data.txt'), 'utf8')).toBe('version 1\n');

    const deleted = await ok('snapshot', 'delete', created.id, '--volume-id', volume.id, '--wait');
    expect(deleted.stdout).toBe(
      `deletion of snapshot ${created.id} accepted\nsnapshot ${created.id} deleted\n`,
    );
    expect((await okJson('snapshot', 'list', '--volume-id', volume.id)).count).toBe(0);
  });

  it('create prints the response without --wait', async () => {
    const volume = await createVolume('ops_snap_raw');
    const created = await okJson('snapshot', 'create', '--volume-id', volume.id);
    expect(created.snapshot.volume_id).toBe(volume.id);
    expect(created.snapshot.state).toBe('creating');
  });

  it('schedules: create, list, set, delete', async () => {
    const volume = await createVolume('ops_sched');
    const weekly = ['--frequency', 'weekly', '--hour', '3', '--day-of-week', 'sun'];
    const created = await ok(
      'snapshot-schedule',
      'create',
      '--volume-id',
      volume.id,
      ...weekly,
      '--retention',
      '5',
    );
    expect(created.stdout).toMatch(/^Day of week +SUN$/m);
    expect(created.stdout).toMatch(/^Snapshots kept +5$/m);

    const list = await okJson('snapshot-schedule', 'list', '--volume-id', volume.id);
    expect(list.snapshot_schedule).toHaveLength(1);
    expect(list.snapshot_schedule[0]).toMatchObject({
      frequency: 'WEEKLY',
      hour: '3',
      day_of_week: 'SUN',
    });
    const scheduleId = list.snapshot_schedule[0].id as string;

    const daily = ['--frequency', 'DAILY', '--hour', '23'];
    await ok('snapshot-schedule', 'set', scheduleId, '--volume-id', volume.id, ...daily);
    const table = await ok('snapshot-schedule', 'list', '--volume-id', volume.id);
    expect(table.stdout).toMatch(new RegExp(`^${scheduleId} +DAILY +23 +-$`, 'm'));
    expect(table.stdout).toMatch(/^Schedules enabled +true$/m);

    const removed = await ok('snapshot-schedule', 'delete', scheduleId, '--volume-id', volume.id);
    expect(removed.stdout).toBe(`snapshot schedule ${scheduleId} deleted\n`);
    const after = await okJson('snapshot-schedule', 'list', '--volume-id', volume.id);
    expect(after.snapshot_schedule).toEqual([]);
  });
});

describe('backups against a real server', () => {
  it('keeps a snapshot per run and restores one', async () => {
    const backup = ['--type', 'backup', '--backup-retention-count', '2'];
    const { source, replication, id } = await replicated('ops_backup', ...backup);
    const targetId = replication.replication_volume_id as string;
    expect((await okJson('volume', 'show', targetId)).purpose).toBe('backup');

    writeFileSync(path.join(source.path, 'second.txt'), 'second\n');
    await ok('replication', 'sync', id, '--volume-id', source.id, '--wait');
    writeFileSync(path.join(source.path, 'third.txt'), 'third\n');
    await ok('replication', 'sync', id, '--volume-id', source.id, '--wait');

    const backups = await okJson('snapshot', 'list', '--volume-id', targetId);
    expect(backups.count).toBe(2);
    const [newest] = [...backups.snapshots].sort((a, b) =>
      b.created_at.localeCompare(a.created_at),
    );

    const restored = await createVolume('ops_backup_restore', '--snapshot-id', newest.id);
    const names = ['first.txt', 'second.txt', 'third.txt'];
    for (const name of names) expect(existsSync(path.join(restored.path, name)), name).toBe(true);
  });
});
