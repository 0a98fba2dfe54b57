import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({}, {});
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.timeZone).toBe('Asia/Seoul');
    expect(config.clockSkewMs).toBe(900_000);
    expect(config.regions.map((r) => r.name)).toEqual(['kr-west1', 'kr-east1']);
    expect(config.regions[0]!.root).toBe(path.resolve('./data/regions/kr-west1'));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets flags override environment variables', () => {
    const env = { SCPFS_DATA_DIR: '/tmp/env-dir', SCPFS_HOST: '0.0.0.0', SCPFS_PORT: '9000' };
    expect(loadConfig({}, env).port).toBe(9000);
    const config = loadConfig({ dataDir: '/tmp/flag-dir', port: '9100' }, env);
    expect(config.dataDir).toBe('/tmp/flag-dir');
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(9100);
  });

  it('reads regions and routes from a configuration file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scpfs-config-'));
    const file = path.join(dir, 'scpfs.json');
    const routes = [
      {
        sourceRegion: 'a1',
        replicationType: 'replication',
        typeName: 'HDD',
        targetRegions: ['b1'],
      },
    ];
    await writeFile(
      file,
      JSON.stringify({
        regions: [{ name: 'a1' }, { name: 'b1', root: '/srv/b1' }],
        replicationRoutes: routes,
      }),
    );
    const config = loadConfig({ configFile: file, dataDir: dir }, {});
    expect(config.regions).toEqual([
      { name: 'a1', root: path.join(dir, 'regions', 'a1') },
      { name: 'b1', root: '/srv/b1' },
    ]);
    expect(config.replicationRoutes).toEqual(routes);
  });

  it('reports every invalid setting at once', () => {
    const env = { SCPFS_PORT: 'eighty', SCPFS_TIMEZONE: 'Mars/Olympus', SCPFS_CLOCK_SKEW_MS: '-5' };
    let error: ConfigError | undefined;
    try {
      loadConfig({}, env);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(3);
    expect(error!.message).toContain('Mars/Olympus');
    expect(error!.message).toContain('eighty');
  });

  it('rejects a route that names an unknown region', () => {
    const routes = [
      {
        sourceRegion: 'kr-west1',
        replicationType: 'replication' as const,
        typeName: 'HDD' as const,
        targetRegions: ['jp-1'],
      },
    ];
    expect(() => loadConfig({}, {}, { replicationRoutes: routes })).toThrow(/unknown region jp-1/);
  });
});
