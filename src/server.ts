import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { buildApp } from './api/app.js';
import { AccessKeyStore } from './auth/access-keys.js';
import { SecretBox } from './auth/secrets.js';
import { systemClock, type Clock } from './clock.js';
import { loadConfig, type Config, type ConfigFlags } from './config/config.js';
import type { EngineHooks } from './dataplane/hooks.js';
import { RegionStorage } from './regions/region-storage.js';
import { ReplicationService } from './replications/replication-service.js';
import { ReplicationMonitor } from './replications/replication-monitor.js';
import { ReplicationMetrics } from './metrics.js';
import { ensureRootCredentials, type RootCredentials } from './root-credentials.js';
import { JobRunner } from './runner/job-runner.js';
import { SnapshotScheduleService } from './snapshots/schedule-service.js';
import { SnapshotService } from './snapshots/snapshot-service.js';
import { migrateToLatest, openSqlite } from './store/db.js';
import { AccessRuleService } from './volumes/access-rule-service.js';
import { VolumeService } from './volumes/volume-service.js';

export interface RunningServer {
  url: string;
  config: Config;
  rootCredentials: RootCredentials;
  runner: JobRunner;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  overrides?: Partial<Config>;
  logger?: Logger;
  clock?: Clock;
  /** Fault-injection hooks for every transfer; tests only. */
  engineHooks?: EngineHooks;
}

/**
 * Starts scpfs as its composition root: loads the configuration, opens and migrates the
 * database, ensures the root key, then starts the HTTP API and the job runner.
 */
export async function startServer(
  flags: ConfigFlags = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const config = loadConfig(flags, options.env ?? process.env, options.overrides);
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

  const db = openSqlite(config.dataDir);
  await migrateToLatest(db);
  const keys = new AccessKeyStore(db, SecretBox.openInDataDir(config.dataDir));
  const rootCredentials = await ensureRootCredentials(
    db,
    keys,
    config.dataDir,
    { accessKey: config.rootAccessKey, secretKey: config.rootSecretKey },
    clock.now().toISOString(),
  );

  const regions = new RegionStorage(config.regions);
  const volumes = new VolumeService(db, clock, logger);
  const replications = new ReplicationService(db, config, volumes, clock, logger);
  const accessRules = new AccessRuleService(db, volumes, clock, logger);
  const snapshots = new SnapshotService(db, config, clock, logger);
  const snapshotSchedules = new SnapshotScheduleService(db, config, clock, logger);
  const monitor = new ReplicationMonitor(db, replications, clock, logger);
  const metrics = new ReplicationMetrics(db, clock);
  const app = await buildApp({
    config,
    db,
    clock,
    logger,
    keys,
    regions,
    volumes,
    replications,
    accessRules,
    snapshots,
    snapshotSchedules,
    monitor,
    metrics,
  });
  const runner = new JobRunner({
    db,
    config,
    clock,
    logger,
    regions,
    engineHooks: options.engineHooks,
    metrics,
  });

  await app.listen({ host: config.host, port: config.port });
  await runner.start();
  const address = app.server.address() as AddressInfo;
  const url = `http://${formatHost(address)}:${address.port}`;
  logger.info({ url, dataDir: config.dataDir, regions: regions.regionNames }, 'scpfs started');

  return {
    url,
    config,
    rootCredentials,
    runner,
    async close() {
      await runner.stop();
      await app.close();
      await db.destroy();
      logger.info('scpfs stopped');
    },
  };
}

function formatHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** `scpfs serve`: starts the server, prints a newly generated root key once, stops on a signal. */
export async function runServe(flags: ConfigFlags): Promise<void> {
  const server = await startServer(flags);
  if (server.rootCredentials.generated) printGeneratedCredentials(server);
  const stop = async (signal: string) => {
    process.stderr.write(`\n${signal}: stopping scpfs\n`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function printGeneratedCredentials(server: RunningServer): void {
  const { accessKey, secretKey } = server.rootCredentials;
  const lines = [
    '',
    'A root access key was generated (shown only this once; kept in credentials.json, mode 0600):',
    '루트 액세스 키를 생성했습니다(이번 한 번만 표시하며 credentials.json에 모드 0600으로 보관합니다):',
    `  SCPFS_ACCESS_KEY=${accessKey}`,
    `  SCPFS_SECRET_KEY=${secretKey}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
