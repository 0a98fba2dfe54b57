import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigFlags } from '../src/config/config.js';
import { auth, cleanups, client, run, startRecorder, tempDir } from './helpers/cli-recorder.js';

const createdVolume = {
  volume_id: 'v-1',
  volume_name: 'data_abc123',
  protocol: 'NFS',
  type_name: 'HDD',
  snapshot_id: null,
};

function volume(state: string) {
  return {
    id: 'v-1',
    name: 'data_abc123',
    protocol: 'NFS',
    state,
    account_id: 'acc',
    created_at: '2025-01-01T00:00:00Z',
    type_id: 't',
    type_name: 'HDD',
    purpose: 'none',
    path: '/srv/v-1',
  };
}

describe('runCli argument checks', () => {
  it('rejects a bad --frequency before any request', async () => {
    const { endpoint, requests } = await startRecorder(() => ({ status: 500 }));
    const args = [
      'replication',
      'create',
      '--volume-id',
      'v',
      '--name',
      'rep',
      '--region',
      'kr-east1',
    ];
    const result = await run([...client(endpoint), ...args, '--frequency', 'foo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: invalid value 'foo' for --frequency. Allowed values: 5min, hourly, daily, weekly, monthly\n",
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects a bad value in Korean', async () => {
    const result = await run(['--lang', 'ko', ...auth, 'volume', 'list', '--sort', 'size']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "오류: --sort의 값 'size'이(가) 올바르지 않습니다. 허용되는 값: name:asc, name:desc, created_at:asc, created_at:desc\n",
    );
  });

  it('rejects an invalid --lang', async () => {
    const result = await run(['--lang', 'fr', 'volume', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: invalid value 'fr' for --lang. Allowed values: ko, en\n");
  });

  it('rejects an invalid --output', async () => {
    const result = await run([...auth, '--output', 'yaml', 'volume', 'list']);
    expect(result.stderr).toBe(
      "error: invalid value 'yaml' for --output. Allowed values: table, json\n",
    );
  });

  it('rejects an invalid --endpoint', async () => {
    const result = await run(['--endpoint', 'localhost:8080', ...auth, 'volume', 'list']);
    expect(result.stderr).toContain("invalid endpoint 'localhost:8080'");
  });

  it('translates commander usage errors', async () => {
    const missing = await run(['--lang', 'ko', 'volume', 'create', '--name', 'abc']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "오류: 필수 옵션 '--protocol <protocol>'이(가) 지정되지 않았습니다",
    );

    const unknown = await run(['volume', 'list', '--limt', '3']);
    expect(unknown.stderr).toContain("error: unknown option '--limt'\n(Did you mean --limit?)");

    const command = await run(['--lang', 'ko', 'volume', 'lst']);
    expect(command.stderr).toContain("오류: 알 수 없는 명령 'lst'\n(list을(를) 의도하셨나요?)");

    const argument = await run(['volume', 'show']);
    expect(argument.stderr).toContain("error: missing required argument 'volume_id'");
  });

  it('prints help in the locale language', async () => {
    const result = await run(['volume', '--help'], { env: { LANG: 'ko_KR.UTF-8' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('사용법: scpfs volume');
    expect(result.stdout).toContain('볼륨 생성');
    expect(result.stdout).toContain('공통 옵션:');
  });

  it('prints the version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('runCli connection and credentials', () => {
  it('missing credentials name three places', async () => {
    const cwd = tempDir();
    const result = await run(['volume', 'list'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no credentials found');
    expect(result.stderr).toContain(path.join(cwd, 'data', 'credentials.json'));
  });

  it('reads credentials.json from --data-dir', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 200,
      json: { count: 0, filestorages: [] },
    }));
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'credentials.json'),
      '{"access_key":"FILEKEY","secret_key":"S"}',
    );
    const result = await run(['--endpoint', endpoint, '--data-dir', dataDir, 'volume', 'list']);
    expect(result.code).toBe(0);
    expect(requests[0]!.headers['scp-accesskey']).toBe('FILEKEY');
  });

  it('reads SCPFS_ENDPOINT and SCPFS_DATA_DIR', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 200,
      json: { count: 0, filestorages: [] },
    }));
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'credentials.json'),
      '{"access_key":"DIRKEY","secret_key":"S"}',
    );
    const env = { SCPFS_ENDPOINT: endpoint, SCPFS_DATA_DIR: dataDir };
    const result = await run(['volume', 'list'], { env });
    expect(result.code).toBe(0);
    expect(requests[0]!.headers['scp-accesskey']).toBe('DIRKEY');
  });

  it('refused connection suggests serve', async () => {
    const { endpoint } = await startRecorder(() => ({ status: 200 }));
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const english = await run([...client(endpoint), 'volume', 'list']);
    expect(english.code).toBe(1);
    expect(english.stderr).toBe(
      `error: cannot connect to ${endpoint}: connection refused. Start the server with \`scpfs serve\`, or set --endpoint to the URL of a running server.\n`,
    );
    const korean = await run([...client(endpoint), '--lang', 'ko', 'volume', 'list']);
    expect(korean.stderr).toContain(
      `오류: ${endpoint}에 연결할 수 없습니다(연결 거부). \`scpfs serve\``,
    );
  });
});

describe('runCli API errors', () => {
  const notFound = {
    errors: [{ status: 404, code: 'VOLUME_NOT_FOUND', detail: '볼륨 v-9을(를) 찾을 수 없습니다.' }],
  };

  it('prints detail, code and status', async () => {
    const { endpoint, requests } = await startRecorder(() => ({ status: 404, json: notFound }));
    const result = await run([...client(endpoint), '--lang', 'ko', 'volume', 'show', 'v-9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      '오류: 볼륨 v-9을(를) 찾을 수 없습니다. (VOLUME_NOT_FOUND, HTTP 404)\n',
    );
    expect(requests[0]!.headers['accept-language']).toBe('ko-KR');
  });

  it('prints a body that is not an error list', async () => {
    const { endpoint } = await startRecorder(() => ({
      status: 502,
      text: '<html>Bad gateway</html>',
    }));
    const result = await run([...client(endpoint), 'volume', 'show', 'v-9']);
    expect(result.stderr).toBe(
      'error: the server returned HTTP 502 with a body that is not JSON: <html>Bad gateway</html>\n',
    );
  });
});

describe('runCli volume commands', () => {
  it('create sends the region header', async () => {
    const raw = JSON.stringify(createdVolume);
    const { endpoint, requests } = await startRecorder(() => ({ status: 202, text: raw }));
    const args = ['volume', 'create', '--name', 'data', '--protocol', 'NFS', '--type-name', 'HDD'];
    const result = await run([
      ...client(endpoint),
      '--output',
      'json',
      ...args,
      '--region',
      'kr-east1',
    ]);
    expect(result).toEqual({ code: 0, stdout: `${raw}\n`, stderr: '' });
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url).toBe('/v1/volumes');
    expect(requests[0]!.headers['x-scpfs-region']).toBe('kr-east1');
    expect(JSON.parse(requests[0]!.body)).toEqual({
      name: 'data',
      protocol: 'NFS',
      type_name: 'HDD',
    });
  });

  it('waits for available and prints the volume', async () => {
    const states = ['creating', 'creating', 'available'];
    const { endpoint, requests } = await startRecorder((request) =>
      request.method === 'POST'
        ? { status: 202, json: createdVolume }
        : { status: 200, json: volume(states.shift() ?? 'available') },
    );
    const args = [
      'volume',
      'create',
      '--name',
      'data',
      '--protocol',
      'NFS',
      '--type-name',
      'HDD',
      '--wait',
    ];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('volume v-1: state creating\nvolume v-1: state available\n');
    expect(result.stdout).toMatch(/^State +available$/m);
    expect(result.stdout).toMatch(/^Path +\/srv\/v-1$/m);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/volumes',
      'GET /v1/volumes/v-1',
      'GET /v1/volumes/v-1',
      'GET /v1/volumes/v-1',
    ]);
  });

  it('fails the wait on state error', async () => {
    const { endpoint } = await startRecorder((request) =>
      request.method === 'POST'
        ? { status: 202, json: createdVolume }
        : { status: 200, json: volume('error') },
    );
    const args = [
      'volume',
      'create',
      '--name',
      'data',
      '--protocol',
      'NFS',
      '--type-name',
      'HDD',
      '--wait',
    ];
    const result = await run([...client(endpoint), ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: volume v-1 is in state error');
  });

  it('times out the wait', async () => {
    const { endpoint, requests } = await startRecorder((request) =>
      request.method === 'POST'
        ? { status: 202, json: createdVolume }
        : { status: 200, json: volume('creating') },
    );
    const args = [
      'volume',
      'create',
      '--name',
      'data',
      '--protocol',
      'NFS',
      '--type-name',
      'HDD',
      '--wait',
    ];
    const result = await run([...client(endpoint), '--wait-timeout', '5', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: timed out after 5 s waiting for volume v-1 to become available (last state: creating)',
    );
    // One read at 0 s and one after each 1 s sleep up to the deadline.
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(6);
  });

  it('list keeps the query order', async () => {
    const list = { count: 1, filestorages: [volume('available')] };
    const { endpoint, requests } = await startRecorder(() => ({ status: 200, json: list }));
    const filters = [
      '--sort',
      'name:asc',
      '--limit',
      '5',
      '--type-name',
      'HDD',
      '--offset',
      '2',
      '--name',
      'data',
    ];
    const result = await run([...client(endpoint), 'volume', 'list', ...filters]);
    expect(result.code).toBe(0);
    expect(requests[0]!.url).toBe(
      '/v1/volumes?offset=2&limit=5&name=data&type_name=HDD&sort=name%3Aasc',
    );
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +Name +Protocol +Disk type +State +Purpose +Created at$/);
    expect(lines[1]).toMatch(/^v-1 +data_abc123 +NFS +HDD +available +none +2025-01-01T00:00:00Z$/);
    expect(lines[2]).toBe('total: 1');
  });

  it('accepts global options after the subcommand', async () => {
    const list = { count: 0, filestorages: [] };
    const { endpoint } = await startRecorder(() => ({ status: 200, json: list }));
    const result = await run(['volume', 'list', ...client(endpoint), '--lang', 'ko']);
    expect(result.stdout).toBe('(없음)\n전체: 0개\n');
  });

  it('deletes and waits for 404', async () => {
    const gets = [volume('deleting')];
    const { endpoint, requests } = await startRecorder((request) => {
      if (request.method === 'DELETE') return { status: 202 };
      const next = gets.shift();
      return next ? { status: 200, json: next } : { status: 404, json: { errors: [] } };
    });
    const result = await run([...client(endpoint), 'volume', 'delete', 'v-1', '--wait']);
    expect(result).toEqual({
      code: 0,
      stdout: 'deletion of volume v-1 accepted\nvolume v-1 deleted\n',
      stderr: 'volume v-1: state deleting\nvolume v-1: state deleted\n',
    });
    expect(requests.map((r) => r.method)).toEqual(['DELETE', 'GET', 'GET']);
  });
});

describe('runCli replication commands', () => {
  const created = {
    replication_id: 'r-1',
    replication_status: 'creating',
    source_volume_id: 'v-1',
    source_volume_region: 'kr-west1',
    protocol: 'NFS',
    replication_volume_id: 'v-2',
    replication_volume_region: 'kr-east1',
  };

  it('create sends the documented body', async () => {
    const statuses = ['creating', 'available'];
    const { endpoint, requests } = await startRecorder((request) =>
      request.method === 'POST'
        ? { status: 202, json: created }
        : { status: 200, json: { replication_id: 'r-1', replication_status: statuses.shift() } },
    );
    const args = [
      'replication',
      'create',
      '--volume-id',
      'v-1',
      '--name',
      'my_volume',
      '--region',
      'kr-east1',
      '--frequency',
      '5min',
      '--backup-retention-count',
      '2',
      '--cifs-password',
      'cifspwd0!!',
      '--wait',
    ];
    const result = await run([...client(endpoint), '--output', 'json', ...args]);
    expect(result.code).toBe(0);
    expect(requests[0]!.body).toBe(
      '{"name":"my_volume","cifs_password":"cifspwd0!!","replication_frequency":"5min","region":"kr-east1","volume_id":"v-1","backup_retention_count":2,"replication_type":"replication"}',
    );
    expect(requests[1]!.url).toBe('/v1/replications/r-1?volume_id=v-1');
    expect(result.stdout).toBe('{"replication_id":"r-1","replication_status":"available"}\n');
    expect(result.stderr).toBe(
      'replication r-1: status creating\nreplication r-1: status available\n',
    );
  });

  it('fails the wait on status error', async () => {
    const { endpoint } = await startRecorder((request) =>
      request.method === 'POST'
        ? { status: 202, json: created }
        : { status: 200, json: { replication_id: 'r-1', replication_status: 'error' } },
    );
    const args = [
      'replication',
      'create',
      '--volume-id',
      'v-1',
      '--name',
      'rep',
      '--region',
      'kr-east1',
    ];
    const result = await run([...client(endpoint), ...args, '--frequency', 'daily', '--wait']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: replication r-1 is in status error');
  });

  it('rejects a retention count out of range', async () => {
    const args = [
      'replication',
      'create',
      '--volume-id',
      'v',
      '--name',
      'rep',
      '--region',
      'r',
      '--frequency',
      'daily',
    ];
    const result = await run([...auth, ...args, '--backup-retention-count', '0']);
    expect(result.stderr).toBe(
      "error: invalid value '0' for --backup-retention-count. Expected an integer from 1 to 128\n",
    );
  });

  it('lists regions with the API query names', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 200,
      json: { regions: ['kr-east1', 'kr-west1'] },
    }));
    const args = [
      'replication',
      'regions',
      '--type-name',
      'SSD',
      '--source-region',
      'kr-west1',
      '--type',
      'backup',
    ];
    const result = await run([...client(endpoint), ...args]);
    expect(requests[0]!.url).toBe(
      '/v1/replications/regions?type_name=SSD&source_region_name=kr-west1&replication_type=backup',
    );
    expect(result.stdout).toBe('Region\nkr-east1\nkr-west1\n');
  });

  it('shows a replication through a volume ID', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 200,
      json: { replication_id: 'r-1', replication_policy: 'use' },
    }));
    const result = await run([
      ...client(endpoint),
      'replication',
      'show',
      'r-1',
      '--volume-id',
      'v-2',
    ]);
    expect(requests[0]!.url).toBe('/v1/replications/r-1?volume_id=v-2');
    expect(result.stdout).toBe('Replication ID  r-1\nPolicy          use\n');
  });
});

describe('runCli serve', () => {
  it('passes the flags to runServe', async () => {
    const calls: ConfigFlags[] = [];
    const loadServer = async () => ({
      runServe: async (flags: ConfigFlags) => void calls.push(flags),
    });
    const argv = [
      'serve',
      '--data-dir',
      '/tmp/d',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--config',
      'c.json',
    ];
    const result = await run(argv, { loadServer });
    expect(result.code).toBe(0);
    expect(calls).toEqual([
      { dataDir: '/tmp/d', host: '127.0.0.1', port: '0', configFile: 'c.json' },
    ]);
  });

  it('prints a configuration error', async () => {
    const loadServer = async () => ({
      runServe: async () => {
        throw new ConfigError(['port must be a non-negative integer, got "abc"']);
      },
    });
    const result = await run(['serve', '--port', 'abc'], { loadServer });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: invalid configuration:\n- port must be a non-negative integer, got "abc"\n',
    );
  });

  it('leaves out flags that are not given', async () => {
    const calls: ConfigFlags[] = [];
    const loadServer = async () => ({
      runServe: async (flags: ConfigFlags) => void calls.push(flags),
    });
    await run(['serve'], { loadServer });
    expect(calls).toEqual([{}]);
  });
});
