// Temporary source, replica and work directories for data plane tests, plus log capture.
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { nanosecondTimes } from '../../src/dataplane/times.js';

export interface ReplicationDirs {
  /** Parent of the other directories; everything a test creates goes below it. */
  base: string;
  source: string;
  target: string;
  work: string;
  /** An extra directory outside all three, for containment checks. */
  outside: string;
  cleanup(): Promise<void>;
}

/** Creates a fresh base directory under os.tmpdir() with source, target, work and outside in it. */
export async function createReplicationDirs(prefix = 'scpfs-dataplane-'): Promise<ReplicationDirs> {
  const base = await mkdtemp(path.join(os.tmpdir(), prefix));
  const dirs = {
    base,
    source: path.join(base, 'source'),
    target: path.join(base, 'target'),
    work: path.join(base, 'work'),
    outside: path.join(base, 'outside'),
  };
  for (const dir of [dirs.source, dirs.target, dirs.outside]) await mkdir(dir);
  return { ...dirs, cleanup: () => removeWritable(base) };
}

/** Removes a tree even when it contains read-only directories (when not running as root). */
async function removeWritable(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true }).catch(async () => {
    await makeOwnerWritable(root);
    await rm(root, { recursive: true, force: true });
  });
}

async function makeOwnerWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const name of await readdir(dir)) {
    const child = path.join(dir, name);
    if ((await lstat(child)).isDirectory()) await makeOwnerWritable(child);
  }
}

/** Creates a pino logger that stores every record, for checking what a run logged. */
export function captureLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() !== '') records.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), records };
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** What a work directory contains between runs: the index of the last committed version and its seal. */
export const INDEX_FILES = ['index', 'index.seal'];

/**
 * Largest mtime difference between a source entry and its replica that the engine allows: none
 * when its native addon sets nanoseconds, else the microsecond rounding of fs.utimes.
 */
export function replicaMtimeToleranceNs(): bigint {
  return nanosecondTimes() ? 0n : 1000n;
}
