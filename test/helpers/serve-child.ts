// Runs a server in a child process so a test can kill it with SIGKILL. Settings come from the
// environment: SCPFS_DATA_DIR, and SCPFS_TEST_SLOW_FILE_MS to slow every file copy down.
import { pino } from 'pino';
import { startServer } from '../../src/server.js';

const slowMs = Number(process.env.SCPFS_TEST_SLOW_FILE_MS ?? 0);
const server = await startServer(
  {
    dataDir: process.env.SCPFS_DATA_DIR,
    host: '127.0.0.1',
    port: Number(process.env.SCPFS_PORT ?? 0),
  },
  {
    env: {},
    overrides: { runnerIntervalMs: 100, leaseTimeoutMs: 60_000 },
    logger: pino({ level: process.env.SCPFS_TEST_LOG_LEVEL ?? 'silent' }),
    engineHooks:
      slowMs > 0
        ? { beforeFileCopy: () => new Promise((resolve) => setTimeout(resolve, slowMs)) }
        : undefined,
  },
);
process.stdout.write(JSON.stringify({ url: server.url, ...server.rootCredentials }) + '\n');
