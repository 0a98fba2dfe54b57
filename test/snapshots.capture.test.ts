import { execFileSync } from 'node:child_process';
import {
  appendFile,
  chmod,
  lstat,
  mkdtemp,
  readFile,
  rm,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureTree, type CaptureResult } from '../src/snapshots/capture.js';
import { compareTrees, formatDifferences } from './support/compare-trees.js';
import { generateRealisticTree, listEntries, mutateTree } from './support/realistic-tree.js';
import { silentLogger } from './support/replication-dirs.js';
import { dir, fifo, file, symlink, writeTree } from './support/tree.js';

const TOLERANCE = { mtimeToleranceNs: 1000n, compareRootMetadata: true };
const logger = silentLogger();

let base: string;
let volume: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'scpfs-capture-'));
  volume = path.join(base, 'volume');
});
afterEach(() => rm(base, { recursive: true, force: true }));

function snapshotPath(name: string): string {
  return path.join(base, 'snapshots', name);
}

function capture(name: string, previous?: { name: string; result: CaptureResult }) {
  return captureTree({
    sourceDir: volume,
    snapshotDir: snapshotPath(name),
    base: previous && {
      dir: snapshotPath(previous.name),
      markerCtimeNs: previous.result.markerCtimeNs,
    },
    logger,
  });
}

async function expectSameTree(a: string, b: string): Promise<void> {
  const differences = await compareTrees(a, b, TOLERANCE);
  expect(differences, formatDifferences(differences)).toEqual([]);
}

async function inode(p: string): Promise<number> {
  return (await lstat(p)).ino;
}

/** Waits until the coarse kernel clock behind ctime has certainly moved on. */
function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 30));
}

describe('captureTree', () => {
  it('copies a realistic tree exactly', async () => {
    await generateRealisticTree(volume, { files: 400, seed: 11 });
    const result = await capture('one');
    await expectSameTree(volume, snapshotPath('one'));
    const files = (await listEntries(Buffer.from(volume))).filter((e) => e.kind === 'file');
    expect(result.sizeBytes).toBe(files.reduce((sum, f) => sum + f.size, 0));
    expect(result.filesCopied).toBe(files.length);
    expect(result.filesLinked).toBe(0);
  });

  it('reports the size as the sum of regular file sizes', async () => {
    await writeTree(volume, {
      'a.txt': file('abc'),
      sub: dir({ 'b.bin': file(Buffer.alloc(5000, 7)), 'empty.txt': file('') }),
      link: symlink('a.txt'),
    });
    const result = await capture('one');
    expect(result.sizeBytes).toBe(5003);
    expect(result.symlinks).toBe(1);
    expect(result.directories).toBe(1);
  });

  it('leaves special files out', async () => {
    await writeTree(volume, { 'a.txt': file('abc'), pipe: fifo() });
    const result = await capture('one');
    expect(result.skippedSpecial).toBe(1);
    await expect(lstat(path.join(snapshotPath('one'), 'pipe'))).rejects.toThrow(/ENOENT/);
  });

  it('keeps its content when the volume changes', async () => {
    await generateRealisticTree(volume, { files: 200, seed: 3 });
    const reference = path.join(base, 'reference');
    execFileSync('cp', ['-a', volume, reference]);
    await capture('one');
    await mutateTree(volume, 5);
    await expectSameTree(reference, snapshotPath('one'));
  });

  it('links unchanged files from the base and copies changed ones', async () => {
    await generateRealisticTree(volume, { files: 300, seed: 21 });
    await tick();
    const first = await capture('one');
    const reference = path.join(base, 'reference');
    execFileSync('cp', ['-a', snapshotPath('one'), reference]);
    await tick();
    const report = await mutateTree(volume, 9);

    const second = await capture('two', { name: 'one', result: first });

    await expectSameTree(volume, snapshotPath('two'));
    await expectSameTree(reference, snapshotPath('one'));
    expect(second.filesLinked).toBeGreaterThan(100);
    expect(second.filesCopied).toBeGreaterThanOrEqual(report.filesWritten);
    const modified = report.modified[0]!;
    expect(await inode(path.join(snapshotPath('two'), modified))).not.toBe(
      await inode(path.join(snapshotPath('one'), modified)),
    );
  });

  it('shares the inode of an unchanged file', async () => {
    await writeTree(volume, { 'same.txt': file('unchanged') });
    await tick();
    const first = await capture('one');
    const second = await capture('two', { name: 'one', result: first });
    expect(second.filesLinked).toBe(1);
    expect(await inode(path.join(snapshotPath('two'), 'same.txt'))).toBe(
      await inode(path.join(snapshotPath('one'), 'same.txt')),
    );
  });

  it('copies a rewrite that keeps size and mtime', async () => {
    const mtime = new Date('2024-05-01T00:00:00Z');
    await writeTree(volume, { 'same-size.txt': file('aaaa', { mtime }) });
    await tick();
    const first = await capture('one');
    await tick();
    await writeFile(path.join(volume, 'same-size.txt'), 'bbbb');
    await utimes(path.join(volume, 'same-size.txt'), mtime, mtime);

    const second = await capture('two', { name: 'one', result: first });

    expect(second.filesLinked).toBe(0);
    expect(await readFile(path.join(snapshotPath('two'), 'same-size.txt'), 'utf8')).toBe('bbbb');
    expect(await readFile(path.join(snapshotPath('one'), 'same-size.txt'), 'utf8')).toBe('aaaa');
  });

  it('copies a file whose mode changed and keeps the base mode', async () => {
    await writeTree(volume, { 'mode.txt': file('x', { mode: 0o644 }) });
    await tick();
    const first = await capture('one');
    await tick();
    await chmod(path.join(volume, 'mode.txt'), 0o600);

    const second = await capture('two', { name: 'one', result: first });

    expect(second.filesLinked).toBe(0);
    expect((await lstat(path.join(snapshotPath('two'), 'mode.txt'))).mode & 0o777).toBe(0o600);
    expect((await lstat(path.join(snapshotPath('one'), 'mode.txt'))).mode & 0o777).toBe(0o644);
  });

  it('copies when the base file has gone', async () => {
    await writeTree(volume, { 'a.txt': file('abc') });
    await tick();
    const first = await capture('one');
    await unlink(path.join(snapshotPath('one'), 'a.txt'));
    const second = await capture('two', { name: 'one', result: first });
    expect(second.filesLinked).toBe(0);
    expect(await readFile(path.join(snapshotPath('two'), 'a.txt'), 'utf8')).toBe('abc');
  });

  it('re-reads a file that changes during its copy', async () => {
    await writeTree(volume, { 'grow.log': file('first line\n') });
    const result = await captureTree({
      sourceDir: volume,
      snapshotDir: snapshotPath('one'),
      logger,
      hooks: {
        beforeFileCopy: async (_rel, attempt) => {
          if (attempt === 1) await appendFile(path.join(volume, 'grow.log'), 'second line\n');
        },
      },
    });
    const copied = await readFile(path.join(snapshotPath('one'), 'grow.log'), 'utf8');
    expect(copied).toBe('first line\nsecond line\n');
    expect(result.sizeBytes).toBe(copied.length);
  });

  it('replaces leftovers of an interrupted attempt', async () => {
    await writeTree(volume, { 'a.txt': file('abc') });
    await writeTree(snapshotPath('one'), { 'stale.txt': file('old') });
    await capture('one');
    await expectSameTree(volume, snapshotPath('one'));
  });

  it('stops when aborted', async () => {
    await writeTree(volume, { 'a.txt': file('abc') });
    const abort = new AbortController();
    abort.abort();
    const run = captureTree({
      sourceDir: volume,
      snapshotDir: snapshotPath('one'),
      logger,
      signal: abort.signal,
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
