import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Config } from '../../src/config/config.js';
import type { EngineHooks } from '../../src/dataplane/hooks.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { SignedClient } from './signed-client.js';

export interface TestServer {
  server: RunningServer;
  client: SignedClient;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts a real server on a free loopback port with its own temporary data directory. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  dataDir?: string,
  engineHooks?: EngineHooks,
): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'scpfs-test-')));
  const server = await startServer(
    { dataDir: dir, host: '127.0.0.1', port: 0 },
    {
      env: {},
      overrides: {
        runnerIntervalMs: 100,
        leaseTimeoutMs: 5_000,
        retryBackoffMs: [500],
        ...overrides,
      },
      logger: pino({ level: process.env.SCPFS_TEST_LOG_LEVEL ?? 'silent' }),
      engineHooks,
    },
  );
  const client = new SignedClient(server.url, server.rootCredentials);
  return {
    server,
    client,
    dataDir: dir,
    async stop() {
      await server.close();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
