// One replication run of the scpfs engine as its own process, for the benchmarks.
// Usage: node .bench/engine/engine-run.mjs <source> <target> <work> [--no-fsync]
// (bench/run.ts bundles this file with esbuild first). Prints one JSON line with the run's
// statistics, the engine's in-process time and the peak RSS read from /proc/self/status.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { replicateTree } from '../src/dataplane/index.js';

/** Output of one engine run. */
export interface EngineRunOutput {
  /** Milliseconds inside replicateTree, measured around the call. */
  engineMs: number;
  /** VmHWM of this process in KiB, or -1 where /proc is missing. */
  vmHwmKiB: number;
  stats: Record<string, unknown>;
}

function readVmHwmKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}

async function main(argv: string[]): Promise<void> {
  const [sourceDir, targetDir, workDir] = argv;
  if (sourceDir === undefined || targetDir === undefined || workDir === undefined) {
    throw new Error('usage: engine-run <source> <target> <work> [--no-fsync]');
  }
  await mkdir(targetDir, { recursive: true });
  const logger = pino({ level: process.env.SCPFS_BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const started = performance.now();
  const stats = await replicateTree({
    sourceDir,
    targetDir,
    workDir,
    logger,
    fsync: !argv.includes('--no-fsync'),
  });
  const engineMs = performance.now() - started;
  const output: EngineRunOutput = {
    engineMs,
    vmHwmKiB: readVmHwmKiB(),
    stats: { ...stats, skippedSpecial: undefined },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main(process.argv.slice(2));
