// Runs one timed command under GNU time, with the page cache prepared the same way for every tool.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * cold: flush dirty pages and drop the page, dentry and inode caches before each timed command.
 * warm: only flush dirty pages, so the trees the setup just wrote or read stay cached.
 */
export type CacheMode = 'cold' | 'warm';

export interface Measurement {
  /** Wall time of the command in seconds, measured around the process. */
  wallS: number;
  /** Wall time of the `sync` right after the command: writeback the command left behind. */
  syncS: number;
  /** Peak resident set size in KiB (GNU time %M). For rsync: its largest process. */
  peakRssKiB: number;
  /**
   * Bytes the command and its waited-for children caused to be written to storage (GNU time
   * %O, block outputs of 512 bytes, which Linux derives from /proc/<pid>/io write_bytes).
   */
  writtenBytes: number;
  /** The 1-minute load average just before the command, to spot other work on the machine. */
  loadBefore: number;
  stdout: string;
  stderr: string;
}

const TIME_FORMAT = '%e %M %O';

/** Flushes dirty pages to disk and, for cold runs, drops the caches. */
export function prepareCache(mode: CacheMode): void {
  spawnSync('sync');
  if (mode === 'cold') dropCaches();
}

function dropCaches(): void {
  const result = spawnSync('sh', ['-c', 'echo 3 > /proc/sys/vm/drop_caches']);
  if (result.status !== 0) {
    throw new Error(
      `dropping the page cache failed (${result.stderr.toString().trim()}); run as root or use --cache warm`,
    );
  }
}

/** Runs a command to completion; rejects with its stderr when it exits non-zero. */
export function runCommand(
  command: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const output = {
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      };
      if (code === 0) return resolve(output);
      const message = output.stderr.trim();
      reject(new Error(`${command} ${args.join(' ')} failed with exit code ${code}: ${message}`));
    });
  });
}

/** Prepares the cache, then runs and measures the command and the sync after it. */
export async function measure(
  command: string,
  args: readonly string[],
  cache: CacheMode,
): Promise<Measurement> {
  prepareCache(cache);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scpfs-bench-time-'));
  const timeFile = path.join(dir, 'time.txt');
  try {
    const loadBefore = os.loadavg()[0]!;
    const started = performance.now();
    const { stdout, stderr } = await runCommand('/usr/bin/time', [
      '-f',
      TIME_FORMAT,
      '-o',
      timeFile,
      command,
      ...args,
    ]);
    const wallS = (performance.now() - started) / 1000;
    const syncS = timeSync();
    const [, peakRssKiB, outputBlocks] = (await readFile(timeFile, 'utf8')).trim().split(/\s+/);
    return {
      wallS,
      syncS,
      peakRssKiB: Number(peakRssKiB),
      writtenBytes: Number(outputBlocks) * 512,
      loadBefore,
      stdout,
      stderr,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function timeSync(): number {
  const started = performance.now();
  spawnSync('sync');
  return (performance.now() - started) / 1000;
}

/** Runs `work` and returns its result with the seconds it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}
