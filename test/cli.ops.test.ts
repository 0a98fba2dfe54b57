import { describe, expect, it } from 'vitest';
import { Messages } from '../src/cli/messages.js';
import {
  renderStatus,
  type RunBody,
  type StatusBody,
} from '../src/cli/commands/replication-status.js';
import { syncPhase, syncTime } from '../src/cli/commands/replication-sync.js';
import {
  CLOCK_START_MS,
  auth,
  client,
  run,
  startRecorder,
  type Recorded,
  type Reply,
} from './helpers/cli-recorder.js';

const notFound = (code: string) => ({
  status: 404,
  json: { errors: [{ status: 404, code, detail: 'not found' }] },
});

function calls(requests: Recorded[]): string[] {
  return requests.map((r) => `${r.method} ${r.url}`);
}

describe('volume create --snapshot-id', () => {
  it('rejects an empty snapshot ID', async () => {
    const args = ['volume', 'create', '--name', 'data', '--protocol', 'NFS', '--type-name', 'HDD'];
    const result = await run([...auth, ...args, '--snapshot-id', '']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: invalid empty value for --snapshot-id. Give a value or leave out the option\n',
    );
  });
});

describe('volume set and access rules', () => {
  it('set sends a boolean', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 202,
      json: { file_unit_recovery_enabled: true },
    }));
    const result = await run([
      ...client(endpoint),
      'volume',
      'set',
      'v-1',
      '--file-unit-recovery',
      'true',
    ]);
    expect(result).toEqual({ code: 0, stdout: 'File unit recovery  true\n', stderr: '' });
    expect(calls(requests)).toEqual(['PUT /v1/volumes/v-1']);
    expect(requests[0]!.body).toBe('{"file_unit_recovery_enabled":true}');
  });

  it('set confirms an empty 1.0 response', async () => {
    const { endpoint, requests } = await startRecorder(() => ({ status: 202 }));
    const args = ['volume', 'set', 'v-1', '--file-unit-recovery', 'false'];
    const result = await run([...client(endpoint), '--api-version', '1.0', ...args]);
    expect(result.stdout).toBe('volume v-1 updated\n');
    expect(requests[0]!.body).toBe('{"file_unit_recovery_enabled":false}');
  });

  it('set rejects a value that is not a boolean', async () => {
    const result = await run([...auth, 'volume', 'set', 'v-1', '--file-unit-recovery', 'yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: invalid value 'yes' for --file-unit-recovery. Allowed values: true, false\n",
    );
  });

  it('lists access rules in a table', async () => {
    const body = {
      volume_id: 'v-1',
      count: 1,
      access_rules: [{ object_type: 'VM', object_id: 'vm-7', access_rule_state: 'active' }],
    };
    const { endpoint, requests } = await startRecorder(() => ({ status: 200, json: body }));
    const result = await run([...client(endpoint), 'volume', 'access-rule', 'list', 'v-1']);
    expect(calls(requests)).toEqual(['GET /v1/volumes/v-1/access-rules']);
    expect(result.stdout).toBe(
      'Object type  Object ID  Rule state\nVM           vm-7       active\ntotal: 1\n',
    );
  });

  it('add and remove send the action', async () => {
    const { endpoint, requests } = await startRecorder((request) => ({
      status: 202,
      json: { volume_id: 'v-1', ...JSON.parse(request.body) },
    }));
    for (const action of ['add', 'remove']) {
      const args = ['volume', 'access-rule', action, 'v-1', '--object-type', 'GPU_NODE'];
      const result = await run([...client(endpoint), ...args, '--object-id', 'n-1']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Action       ${action}`);
    }
    expect(requests.map((r) => r.body)).toEqual([
      '{"action":"add","object_type":"GPU_NODE","object_id":"n-1"}',
      '{"action":"remove","object_type":"GPU_NODE","object_id":"n-1"}',
    ]);
    expect(requests[0]!.url).toBe('/v1/volumes/v-1/access-rules');
  });

  it('rejects an unknown object type in Korean', async () => {
    const args = ['volume', 'access-rule', 'add', 'v-1', '--object-type', 'vm', '--object-id', 'x'];
    const result = await run(['--lang', 'ko', ...auth, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "오류: --object-type의 값 'vm'이(가) 올바르지 않습니다. 허용되는 값: VM, BM, GPU, GPU_NODE, ENDPOINT\n",
    );
  });
});

const replicationItem = {
  replication_id: 'r-1',
  replication_frequency: 'daily',
  replication_type: 'replication',
  source_volume_id: 'v-1',
  source_volume_region: 'kr-west1',
  source_volume_access_level: 'rw',
  replication_volume_id: 'v-2',
  replication_volume_region: 'kr-east1',
  replication_volume_access_level: 'ro',
  backup_retention_count: 10,
};

describe('replication set, pause, resume', () => {
  it('set sends modify_schedule with nulls', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 202,
      json: replicationItem,
    }));
    const args = ['replication', 'set', 'r-1', '--volume-id', 'v-2', '--frequency', 'daily'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(calls(requests)).toEqual(['PUT /v1/replications/r-1?volume_id=v-2']);
    expect(requests[0]!.body).toBe(
      '{"replication_update_type":"modify_schedule","replication_policy":null,"replication_frequency":"daily","backup_retention_count":null}',
    );
    expect(result.stdout).toMatch(/^Frequency +daily$/m);
  });

  it('set sends the retention count alone', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 202,
      json: replicationItem,
    }));
    const args = ['replication', 'set', 'r-1', '--volume-id', 'v-2'];
    await run([...client(endpoint), ...args, '--backup-retention-count', '3']);
    expect(JSON.parse(requests[0]!.body)).toEqual({
      replication_update_type: 'modify_schedule',
      replication_policy: null,
      replication_frequency: null,
      backup_retention_count: 3,
    });
  });

  it('set without a change fails before any request', async () => {
    const result = await run([...auth, 'replication', 'set', 'r-1', '--volume-id', 'v-2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: nothing to change: give --frequency, --backup-retention-count or both\n',
    );
  });

  it('pause and resume send the policy', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 202,
      json: replicationItem,
    }));
    const paused = await run([
      ...client(endpoint),
      'replication',
      'pause',
      'r-1',
      '--volume-id',
      'v-1',
    ]);
    const resumed = await run([
      ...client(endpoint),
      'replication',
      'resume',
      'r-1',
      '--volume-id',
      'v-1',
    ]);
    expect(paused.stdout).toMatch(/\nreplication r-1 paused\n$/);
    expect(resumed.stdout).toMatch(/\nreplication r-1 resumed\n$/);
    expect(requests.map((r) => JSON.parse(r.body).replication_policy)).toEqual(['paused', 'use']);
    expect(JSON.parse(requests[0]!.body)).toEqual({
      replication_update_type: 'policy',
      replication_policy: 'paused',
      replication_frequency: null,
      backup_retention_count: null,
    });
  });

  it('pause prints only the body in json', async () => {
    const raw = JSON.stringify(replicationItem);
    const { endpoint } = await startRecorder(() => ({ status: 202, text: raw }));
    const args = ['replication', 'pause', 'r-1', '--volume-id', 'v-1', '--output', 'json'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.stdout).toBe(`${raw}\n`);
  });
});

describe('replication delete', () => {
  it('waits for 404', async () => {
    const statuses = ['deleting', 'deleting'];
    const { endpoint, requests } = await startRecorder((request) => {
      if (request.method === 'DELETE') return { status: 202 };
      const status = statuses.shift();
      if (!status) return notFound('REPLICATION_NOT_FOUND');
      return { status: 200, json: { ...replicationItem, replication_status: status } };
    });
    const args = ['replication', 'delete', 'r-1', '--volume-id', 'v-2', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result).toEqual({
      code: 0,
      stdout: 'deletion of replication r-1 accepted\nreplication r-1 deleted\n',
      stderr: 'replication r-1: status deleting\nreplication r-1: status deleted\n',
    });
    expect(calls(requests)).toEqual([
      'DELETE /v1/replications/r-1?volume_id=v-2',
      'GET /v1/replications/r-1?volume_id=v-2',
      'GET /v1/replications/r-1?volume_id=v-2',
      'GET /v1/replications/r-1?volume_id=v-2',
    ]);
  });

  it('prints the server detail when in use', async () => {
    const detail = "Set the replication's policy to paused first.";
    const { endpoint } = await startRecorder(() => ({
      status: 400,
      json: { errors: [{ status: 400, code: 'REPLICATION_IN_USE', detail }] },
    }));
    const args = ['replication', 'delete', 'r-1', '--volume-id', 'v-2', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${detail} (REPLICATION_IN_USE, HTTP 400)\n`);
  });

  it('times out with the last status', async () => {
    const { endpoint } = await startRecorder((request) =>
      request.method === 'DELETE'
        ? { status: 202 }
        : { status: 200, json: { ...replicationItem, replication_status: 'deleting' } },
    );
    const args = ['replication', 'delete', 'r-1', '--volume-id', 'v-2', '--wait'];
    const result = await run([...client(endpoint), '--wait-timeout', '3', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: timed out after 3 s waiting for replication r-1 to be deleted (last status: deleting)',
    );
  });
});

const iso = (ms: number) => new Date(ms).toISOString();

function runBody(overrides: Partial<RunBody>): RunBody {
  return {
    run_id: 'run-1',
    state: 'succeeded',
    started_at: '2025-01-01T00:00:00.000Z',
    finished_at: '2025-01-01T00:00:01.500Z',
    duration_ms: 1500,
    entries_scanned: 20,
    files_copied: 12,
    bytes_copied: 3 * 1024 ** 2,
    entries_deleted: 1,
    files_total: 12,
    bytes_total: 3 * 1024 ** 2,
    files_done: 12,
    bytes_done: 3 * 1024 ** 2,
    error: null,
    ...overrides,
  };
}

function statusBody(overrides: Partial<StatusBody>): StatusBody {
  return {
    replication_id: 'r-1',
    replication_status: 'available',
    replication_policy: 'use',
    replication_frequency: '5min',
    last_replicated_at: '2025-01-01T00:00:00.000Z',
    lag_seconds: 303,
    interval_seconds: 300,
    health: 'ok',
    next_run_at: '2025-01-01T00:05:00.000Z',
    last_error: null,
    last_run: runBody({}),
    current_run: null,
    ...overrides,
  };
}

describe('replication status', () => {
  it('renders lag and runs readably', () => {
    const running = runBody({
      state: 'running',
      started_at: '2025-01-01T00:05:00.000Z',
      files_done: 3,
      files_total: 10,
      bytes_done: 1024 ** 2,
      bytes_total: 5 * 1024 ** 2,
    });
    const text = renderStatus(statusBody({ current_run: running }), new Messages('en'));
    expect(text.split('\n')).toEqual([
      'Replication ID      r-1',
      'Status              available',
      'Policy              use',
      'Frequency           5min',
      'Health              ok',
      'Lag                 5 min 3 s',
      'Interval            5 min',
      'Last replicated at  2025-01-01T00:00:00.000Z',
      'Next run at         2025-01-01T00:05:00.000Z',
      'Last error          -',
      'Last run            succeeded, started 2025-01-01T00:00:00.000Z, took 1.5 s: 12 files and 3.0 MiB copied, 1 entries deleted',
      'Current run         started 2025-01-01T00:05:00.000Z: 3 of 10 files, 1.0 MiB of 5.0 MiB',
    ]);
  });

  it('renders a failed run in Korean', () => {
    const failed = runBody({ state: 'failed', error: 'ENOSPC: no space left on device' });
    const status = statusBody({ lag_seconds: null, last_run: failed, health: 'error' });
    const text = renderStatus(status, new Messages('ko'));
    expect(text).toMatch(/^지연 +-$/m);
    expect(text).toMatch(
      /^마지막 실행 +failed, 2025-01-01T00:00:00.000Z 시작, 1.5초 소요: 파일 12개와/m,
    );
    expect(text).toMatch(/^마지막 실행 오류 +ENOSPC: no space left on device$/m);
    expect(text).toMatch(/^현재 실행 +-$/m);
  });

  it('prints the server JSON exactly', async () => {
    const raw = JSON.stringify(statusBody({}));
    const { endpoint, requests } = await startRecorder(() => ({ status: 200, text: raw }));
    const args = ['replication', 'status', 'r-1', '--volume-id', 'v-1', '--output', 'json'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.stdout).toBe(`${raw}\n`);
    expect(calls(requests)).toEqual(['GET /scpfs/v1/replications/r-1/status?volume_id=v-1']);
  });

  it('lists runs with paging', async () => {
    const body = {
      count: 7,
      runs: [runBody({}), runBody({ run_id: 'run-0', state: 'failed', error: 'boom' })],
    };
    const { endpoint, requests } = await startRecorder(() => ({ status: 200, json: body }));
    const args = [
      'replication',
      'runs',
      'r-1',
      '--volume-id',
      'v-1',
      '--limit',
      '2',
      '--offset',
      '1',
    ];
    const result = await run([...client(endpoint), ...args]);
    expect(calls(requests)).toEqual([
      'GET /scpfs/v1/replications/r-1/runs?volume_id=v-1&limit=2&offset=1',
    ]);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Run ID +State +Started at +Duration +Files copied +Bytes copied +Entries deleted +Error$/,
    );
    expect(lines[1]).toMatch(
      /^run-1 +succeeded +2025-01-01T00:00:00.000Z +1.5 s +12 +3.0 MiB +1 +-$/,
    );
    expect(lines[2]).toMatch(/^run-0 +failed .* boom$/);
    expect(lines[3]).toBe('total: 7');
  });

  it('rejects a limit above 1000', async () => {
    const args = ['replication', 'runs', 'r-1', '--volume-id', 'v-1', '--limit', '1001'];
    const result = await run([...auth, ...args]);
    expect(result.stderr).toBe(
      "error: invalid value '1001' for --limit. Expected an integer from 1 to 1000\n",
    );
  });
});

describe('syncPhase', () => {
  const syncAt = Date.parse('2025-01-01T00:05:00.000Z');

  it('is queued behind an older run', () => {
    const older = runBody({ state: 'running', started_at: '2025-01-01T00:04:00.000Z' });
    expect(syncPhase(statusBody({ current_run: older }), syncAt)).toBe('queued');
  });

  it('follows the requested run', () => {
    const started = '2025-01-01T00:05:00.000Z';
    const running = runBody({ state: 'running', started_at: started });
    expect(syncPhase(statusBody({ current_run: running }), syncAt)).toBe('running');
    const done = runBody({ started_at: started });
    expect(syncPhase(statusBody({ last_run: done }), syncAt)).toBe('succeeded');
    const failed = runBody({ started_at: started, state: 'failed' });
    expect(syncPhase(statusBody({ last_run: failed }), syncAt)).toBe('failed');
  });

  it('is paused when nothing will run', () => {
    expect(syncPhase(statusBody({ replication_policy: 'paused' }), syncAt)).toBe('paused');
  });

  it('takes the time from next_run_at', () => {
    expect(syncTime({ next_run_at: '2025-01-01T00:05:00.000Z' }, 7)).toBe(syncAt);
    expect(syncTime({}, 7)).toBe(7);
  });
});

/** A status server: POST sync answers `syncAt`, each GET the next of `statuses` (the last repeats). */
async function syncServer(statuses: StatusBody[]) {
  const syncAt = iso(CLOCK_START_MS);
  return startRecorder((request): Reply => {
    if (request.method === 'POST') {
      return { status: 202, json: { replication_id: 'r-1', next_run_at: syncAt } };
    }
    const next = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
    return { status: 200, json: next };
  });
}

function syncStatuses(): StatusBody[] {
  const started = iso(CLOCK_START_MS + 500);
  const old = runBody({ started_at: iso(CLOCK_START_MS - 60_000) });
  const progress = (filesDone: number, bytesDone: number) =>
    statusBody({
      last_run: old,
      current_run: runBody({
        state: 'running',
        started_at: started,
        files_done: filesDone,
        files_total: 4,
        bytes_done: bytesDone,
        bytes_total: 4 * 1024 ** 2,
      }),
    });
  return [
    statusBody({ last_run: old }),
    progress(1, 1024 ** 2),
    progress(3, 3 * 1024 ** 2),
    statusBody({ last_run: runBody({ started_at: started, files_copied: 4 }) }),
  ];
}

describe('replication sync', () => {
  it('requests a run and prints it', async () => {
    const { endpoint, requests } = await syncServer([]);
    const result = await run([
      ...client(endpoint),
      'replication',
      'sync',
      'r-1',
      '--volume-id',
      'v-1',
    ]);
    expect(calls(requests)).toEqual(['POST /scpfs/v1/replications/r-1/sync?volume_id=v-1']);
    expect(result.stdout).toBe(`Replication ID  r-1\nNext run at     ${iso(CLOCK_START_MS)}\n`);
  });

  it('waits with plain lines off a terminal', async () => {
    const { endpoint } = await syncServer(syncStatuses());
    const args = ['replication', 'sync', 'r-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^replication r-1: the requested run finished: succeeded, started .*: 4 files and 3.0 MiB copied/,
    );
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr.split('\n')).toEqual([
      'replication r-1: waiting for the requested run to start',
      'replication r-1: the requested run is transferring',
      '[#####---------------]  25%  files 1/4  1.0 MiB/4.0 MiB',
      '',
    ]);
  });

  it('redraws the bar on a terminal', async () => {
    const { endpoint } = await syncServer(syncStatuses());
    const args = ['replication', 'sync', 'r-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args], { stderrIsTTY: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      '\r[#####---------------]  25%  files 1/4  1.0 MiB/4.0 MiB\x1b[K',
    );
    expect(result.stderr).toContain(
      '\r[###############-----]  75%  files 3/4  3.0 MiB/4.0 MiB  2.0 MiB/s\x1b[K\n',
    );
  });

  it('prints the final status in json', async () => {
    const statuses = syncStatuses();
    const final = statuses.at(-1);
    const { endpoint } = await syncServer(statuses);
    const args = ['replication', 'sync', 'r-1', '--volume-id', 'v-1', '--wait', '--output', 'json'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.stdout).toBe(`${JSON.stringify(final)}\n`);
  });

  it('fails with the run error', async () => {
    const failed = runBody({
      state: 'failed',
      started_at: iso(CLOCK_START_MS),
      error: 'EACCES: x',
    });
    const { endpoint } = await syncServer([statusBody({ last_run: failed })]);
    const args = ['replication', 'sync', 'r-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: the requested run of replication r-1 failed: EACCES: x\n');
  });

  it('fails when paused before the run', async () => {
    const older = runBody({ started_at: iso(CLOCK_START_MS - 60_000) });
    const paused = statusBody({ replication_policy: 'paused', last_run: older });
    const { endpoint } = await syncServer([paused]);
    const args = ['replication', 'sync', 'r-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: replication r-1 is paused, so the requested run does not start. Resume it with `scpfs replication resume r-1 --volume-id v-1`.\n',
    );
  });
});

const snapshot = {
  id: 's-1',
  name: 'data_abc123.2025-01-01_09000',
  state: 'creating',
  created_at: '2025-01-01T00:00:00Z',
  size: null,
};

describe('snapshot commands', () => {
  it('create waits until available', async () => {
    const states = ['creating', 'available'];
    const { endpoint, requests } = await startRecorder((request) => {
      if (request.method === 'POST') {
        return { status: 202, json: { snapshot: { ...snapshot, volume_id: 'v-1' } } };
      }
      const state = states.shift() ?? 'available';
      const size = state === 'available' ? 2048 : null;
      const snapshots = [{ ...snapshot, state, size }];
      return { status: 200, json: { count: 1, snapshots, snapshot_size_total_byte: size } };
    });
    const result = await run([
      ...client(endpoint),
      'snapshot',
      'create',
      '--volume-id',
      'v-1',
      '--wait',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(requests[0]!.body).toBe('{"volume_id":"v-1"}');
    expect(calls(requests)).toEqual([
      'POST /v1/snapshots',
      'GET /v1/snapshots?volume_id=v-1',
      'GET /v1/snapshots?volume_id=v-1',
    ]);
    expect(result.stderr).toBe('snapshot s-1: state creating\nsnapshot s-1: state available\n');
    expect(result.stdout).toMatch(/^State +available$/m);
    expect(result.stdout).toMatch(/^Size +2.0 KiB$/m);
  });

  it('create prints the response in json', async () => {
    const raw = JSON.stringify({ snapshot: { ...snapshot, volume_id: 'v-1' } });
    const { endpoint } = await startRecorder(() => ({ status: 202, text: raw }));
    const args = ['snapshot', 'create', '--volume-id', 'v-1', '--output', 'json'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.stdout).toBe(`${raw}\n`);
  });

  it('create fails when the capture fails', async () => {
    const { endpoint } = await startRecorder((request) =>
      request.method === 'POST'
        ? { status: 202, json: { snapshot: { ...snapshot, volume_id: 'v-1' } } }
        : {
            status: 200,
            json: {
              count: 1,
              snapshots: [{ ...snapshot, state: 'error' }],
              snapshot_size_total_byte: 0,
            },
          },
    );
    const result = await run([
      ...client(endpoint),
      'snapshot',
      'create',
      '--volume-id',
      'v-1',
      '--wait',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: snapshot s-1 of volume v-1 is in state error.');
  });

  it('lists with sizes and total', async () => {
    const snapshots = [{ ...snapshot, state: 'available', size: 5 * 1024 ** 2 }];
    const body = { count: 1, snapshots, snapshot_size_total_byte: 5 * 1024 ** 2 };
    const { endpoint } = await startRecorder(() => ({ status: 200, json: body }));
    const result = await run([...client(endpoint), 'snapshot', 'list', '--volume-id', 'v-1']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +Name +State +Size +Created at$/);
    expect(lines[1]).toMatch(/^s-1 +data_abc123\.2025-01-01_09000 +available +5.0 MiB +2025/);
    expect(lines.slice(2)).toEqual(['total: 1', 'total size: 5.0 MiB']);
  });

  it('deletes and waits until unlisted', async () => {
    const lists = [[{ ...snapshot, state: 'deleting' }], []];
    const { endpoint, requests } = await startRecorder((request) => {
      if (request.method === 'DELETE') return { status: 202 };
      const snapshots = lists.shift() ?? [];
      return {
        status: 200,
        json: { count: snapshots.length, snapshots, snapshot_size_total_byte: 0 },
      };
    });
    const args = ['snapshot', 'delete', 's-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result).toEqual({
      code: 0,
      stdout: 'deletion of snapshot s-1 accepted\nsnapshot s-1 deleted\n',
      stderr: 'snapshot s-1: state deleting\nsnapshot s-1: state deleted\n',
    });
    expect(requests[0]!.url).toBe('/v1/snapshots/s-1?volume_id=v-1');
  });

  it('restores and waits for the volume', async () => {
    const states = ['restoring', 'available'];
    const { endpoint, requests } = await startRecorder((request) =>
      request.method === 'PUT'
        ? { status: 202, json: { snapshot: { ...snapshot, state: 'restoring', size: 10 } } }
        : { status: 200, json: { id: 'v-1', state: states.shift() ?? 'available' } },
    );
    const args = ['snapshot', 'restore', 's-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(calls(requests)).toEqual([
      'PUT /v1/snapshots/s-1/restore?volume_id=v-1',
      'GET /v1/volumes/v-1',
      'GET /v1/volumes/v-1',
    ]);
    expect(result.stdout).toMatch(/^State +restoring$/m);
    expect(result.stdout).toMatch(/volume v-1 restored from snapshot s-1\n$/);
    expect(result.stderr).toBe('volume v-1: state restoring\nvolume v-1: state available\n');
  });

  it('restore fails when the volume ends in error', async () => {
    const { endpoint } = await startRecorder((request) =>
      request.method === 'PUT'
        ? { status: 202, json: { snapshot: { ...snapshot, state: 'restoring' } } }
        : { status: 200, json: { id: 'v-1', state: 'error' } },
    );
    const args = ['snapshot', 'restore', 's-1', '--volume-id', 'v-1', '--wait'];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: restoring snapshot s-1 left volume v-1 in state error.',
    );
  });
});

describe('snapshot-schedule commands', () => {
  const change = {
    volume_id: 'v-1',
    snapshot_schedule: { frequency: 'WEEKLY', hour: '3', day_of_week: 'MON' },
    snapshot_retention_count: 5,
  };

  it('create sends hour as a string', async () => {
    const { endpoint, requests } = await startRecorder(() => ({ status: 202, json: change }));
    const args = [
      'snapshot-schedule',
      'create',
      '--volume-id',
      'v-1',
      '--frequency',
      'weekly',
      '--hour',
      '03',
      '--day-of-week',
      'mon',
      '--retention',
      '5',
    ];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(requests[0]!.body).toBe(
      '{"volume_id":"v-1","snapshot_schedule":{"frequency":"WEEKLY","hour":"3","day_of_week":"MON"},"snapshot_retention_count":5}',
    );
    expect(result.stdout.split('\n')).toEqual([
      'Volume ID       v-1',
      'Frequency       WEEKLY',
      'Hour            3',
      'Day of week     MON',
      'Snapshots kept  5',
      '',
    ]);
  });

  it('create leaves out an unset retention', async () => {
    const { endpoint, requests } = await startRecorder(() => ({ status: 202, json: change }));
    const args = ['snapshot-schedule', 'create', '--volume-id', 'v-1', '--frequency', 'DAILY'];
    await run([...client(endpoint), ...args, '--hour', '0']);
    expect(JSON.parse(requests[0]!.body)).toEqual({
      volume_id: 'v-1',
      snapshot_schedule: { frequency: 'DAILY', hour: '0', day_of_week: null },
    });
  });

  it.each([
    [
      ['--frequency', 'HOURLY', '--hour', '1'],
      "invalid value 'HOURLY' for --frequency. Allowed values: DAILY, WEEKLY",
    ],
    [
      ['--frequency', 'DAILY', '--hour', '24'],
      "invalid value '24' for --hour. Expected an integer from 0 to 23",
    ],
    [
      ['--frequency', 'WEEKLY', '--hour', '1'],
      '--frequency WEEKLY needs --day-of-week: SUN, MON, TUE, WED, THU, FRI or SAT',
    ],
    [
      ['--frequency', 'DAILY', '--hour', '1', '--day-of-week', 'SUN'],
      "--day-of-week 'SUN' applies only to --frequency WEEKLY. Leave it out for DAILY",
    ],
    [
      ['--frequency', 'WEEKLY', '--hour', '1', '--day-of-week', 'SUNDAY'],
      "invalid value 'SUNDAY' for --day-of-week. Allowed values: SUN, MON, TUE, WED, THU, FRI, SAT",
    ],
    [
      ['--frequency', 'DAILY', '--hour', '1', '--retention', '129'],
      "invalid value '129' for --retention. Expected an integer from 1 to 128",
    ],
  ])('rejects %j', async (options, message) => {
    const result = await run([
      ...auth,
      'snapshot-schedule',
      'create',
      '--volume-id',
      'v-1',
      ...options,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${message}\n`);
  });

  it('lists schedules and the policy', async () => {
    const body = {
      volume_id: 'v-1',
      snapshot_schedule: [{ id: 'sch-1', frequency: 'DAILY', hour: '23', day_of_week: null }],
      snapshot_policy_enabled: true,
      snapshot_retention_count: 10,
    };
    const { endpoint, requests } = await startRecorder(() => ({ status: 200, json: body }));
    const result = await run([
      ...client(endpoint),
      'snapshot-schedule',
      'list',
      '--volume-id',
      'v-1',
    ]);
    expect(requests[0]!.url).toBe('/v1/snapshot-schedules?volume_id=v-1');
    expect(result.stdout.split('\n')).toEqual([
      'ID     Frequency  Hour  Day of week',
      'sch-1  DAILY      23    -',
      'Schedules enabled  true',
      'Snapshots kept     10',
      '',
    ]);
  });

  it('set and delete address one schedule', async () => {
    const { endpoint, requests } = await startRecorder((request) =>
      request.method === 'PUT' ? { status: 202, json: change } : { status: 202 },
    );
    const set = ['snapshot-schedule', 'set', 'sch-1', '--volume-id', 'v-1', '--frequency', 'DAILY'];
    expect((await run([...client(endpoint), ...set, '--hour', '7'])).code).toBe(0);
    const removed = await run([
      ...client(endpoint),
      'snapshot-schedule',
      'delete',
      'sch-1',
      '--volume-id',
      'v-1',
    ]);
    expect(removed.stdout).toBe('snapshot schedule sch-1 deleted\n');
    expect(calls(requests)).toEqual([
      'PUT /v1/snapshot-schedules/sch-1?volume_id=v-1',
      'DELETE /v1/snapshot-schedules/sch-1?volume_id=v-1',
    ]);
    expect(requests[0]!.body).toBe(
      '{"snapshot_schedule":{"frequency":"DAILY","hour":"7","day_of_week":null}}',
    );
  });
});
