import { randomBytes } from 'node:crypto';
import { cp, lstat, open, readdir, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  recoverReplica,
  replicateTree,
  type ReplicateTreeOptions,
} from '../src/dataplane/replicate.js';
import { compareTrees } from './support/compare-trees.js';
import {
  createReplicationDirs,
  INDEX_FILES,
  replicaMtimeToleranceNs,
  silentLogger,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, file, sparseFile, symlink, writeTree } from './support/tree.js';

const MIB = 1024 * 1024;
const EXACT = { mtimeToleranceNs: replicaMtimeToleranceNs(), compareRootMetadata: true };

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-delta-');
});
afterEach(async () => {
  await dirs.cleanup();
});

function run(extra: Partial<ReplicateTreeOptions> = {}) {
  return replicateTree({
    sourceDir: dirs.source,
    targetDir: dirs.target,
    workDir: dirs.work,
    logger: silentLogger(),
    ...extra,
  });
}

/** Overwrites `length` bytes at `offset` with new random bytes, keeping the size. */
async function rewriteRange(filePath: string, offset: number, length: number): Promise<void> {
  const handle = await open(filePath, 'r+');
  try {
    await handle.write(randomBytes(length), 0, length, offset);
  } finally {
    await handle.close();
  }
}

/** Records every in-place write of a run as [offset, length]. */
function patchRecorder() {
  const writes: Array<[number, number]> = [];
  const hooks = {
    afterPatchWrite: (_rel: Buffer, offset: number, length: number) =>
      void writes.push([offset, length]),
  };
  return { writes, hooks };
}

describe('large file deltas', () => {
  it('writes only the changed block', async () => {
    await writeTree(dirs.source, { 'big.bin': file(randomBytes(64 * MIB)) });
    await run();
    const before = await lstat(path.join(dirs.target, 'big.bin'), { bigint: true });
    await rewriteRange(path.join(dirs.source, 'big.bin'), 32 * MIB, MIB);
    const { writes, hooks } = patchRecorder();

    const stats = await run({ hooks });

    process.stdout.write(
      `64 MiB file, 1 MiB changed: run ${stats.durationMs.toFixed(0)} ms, ` +
        `commit window ${stats.commitWindowMs.toFixed(1)} ms\n`,
    );
    expect(stats.planner).toBe('index');
    expect(stats.filesPatched).toBe(1);
    expect(stats.filesCopied).toBe(0);
    expect(stats.bytesCopied).toBe(MIB);
    expect(stats.bytesPatched).toBe(MIB);
    expect(writes).toEqual([[32 * MIB, MIB]]);
    const after = await lstat(path.join(dirs.target, 'big.bin'), { bigint: true });
    expect(after.ino).toBe(before.ino);
    expect(await compareTrees(dirs.source, dirs.target, EXACT)).toEqual([]);
  });

  it('patches a file that grew, then shrank', async () => {
    const bigPath = path.join(dirs.source, 'big.bin');
    await writeTree(dirs.source, { 'big.bin': file(randomBytes(10 * MIB + 5)) });
    await run();
    const grow = await open(bigPath, 'a');
    await grow.write(randomBytes(MIB + 7));
    await grow.close();

    const grown = await run();
    expect(grown.filesPatched).toBe(1);
    expect(await compareTrees(dirs.source, dirs.target, EXACT)).toEqual([]);

    await truncate(bigPath, 9 * MIB);
    const shrunk = await run();

    expect(shrunk.filesPatched).toBe(1);
    expect(shrunk.bytesPatched).toBe(0);
    expect(await compareTrees(dirs.source, dirs.target, EXACT)).toEqual([]);
  });

  it('copies whole when most blocks changed', async () => {
    const bigPath = path.join(dirs.source, 'big.bin');
    await writeTree(dirs.source, { 'big.bin': file(randomBytes(10 * MIB)) });
    await run();
    await rewriteRange(bigPath, 0, 8 * MIB);

    const stats = await run();

    expect(stats.filesPatched).toBe(0);
    expect(stats.filesCopied).toBe(1);
    expect(stats.bytesCopied).toBe(10 * MIB);
    expect(await compareTrees(dirs.source, dirs.target, EXACT)).toEqual([]);
  });

  it('keeps holes when patching', async () => {
    const image = sparseFile(32 * MIB, [
      [MIB, randomBytes(MIB)],
      [20 * MIB + 100, randomBytes(5000)],
    ]);
    await writeTree(dirs.source, { 'disk.img': image });
    await run();
    await rewriteRange(path.join(dirs.source, 'disk.img'), 20 * MIB + 100, 3000);
    const { writes, hooks } = patchRecorder();

    const stats = await run({ hooks });

    expect(stats.filesPatched).toBe(1);
    expect(writes).toEqual([
      [20 * MIB, MIB],
      [20 * MIB, 8192],
    ]);
    const replica = await lstat(path.join(dirs.target, 'disk.img'));
    expect(replica.blocks * 512).toBeLessThan(2 * MIB);
    expect(await compareTrees(dirs.source, dirs.target, EXACT)).toEqual([]);
  });

  it('hashes the replica when the index has no hashes', async () => {
    await writeTree(dirs.source, { 'big.bin': file(randomBytes(12 * MIB)) });
    await run();
    await rewriteRange(path.join(dirs.source, 'big.bin'), 3 * MIB, 10);

    const stats = await run({ compareReplica: true });

    expect(stats.planner).toBe('replica');
    expect(stats.filesPatched).toBe(1);
    expect(stats.bytesPatched).toBe(MIB);
    expect(await compareTrees(dirs.source, dirs.target, EXACT)).toEqual([]);
  });
});

describe('crash during a commit with patches', () => {
  const big = randomBytes(12 * MIB);
  const v1 = {
    'big.bin': file(big, { mtime: 1_500_000_000 }),
    'gone.txt': file('bye'),
    keep: dir({ 'k.txt': file('k') }, { mtime: 1_500_000_000 }),
    link: symlink('old'),
  };

  async function prepareV1(): Promise<void> {
    await rm(dirs.target, { recursive: true, force: true });
    await rm(dirs.work, { recursive: true, force: true });
    await writeTree(dirs.target, {});
    await run();
  }

  it('rolls forward after a crash at any op or block', async () => {
    await writeTree(dirs.source, v1);
    const sourceV2 = path.join(dirs.base, 'source-v2');
    await cp(dirs.source, sourceV2, { recursive: true, preserveTimestamps: true });
    await rm(path.join(sourceV2, 'gone.txt'));
    await writeTree(path.join(sourceV2, 'keep'), { 'new.txt': file('new') });
    await rm(path.join(sourceV2, 'link'));
    await writeTree(sourceV2, { link: symlink('new') });
    for (const offset of [0, 5 * MIB + 3, 11 * MIB]) {
      await rewriteRange(path.join(sourceV2, 'big.bin'), offset, 100);
    }
    await prepareV1();
    const probe = await countCrashPoints(sourceV2);
    expect(probe.ops).toBeGreaterThan(5);
    expect(probe.patchWrites).toBe(3);

    const crashPoints: Array<{ op?: number; write?: number }> = [
      ...Array.from({ length: probe.ops }, (_, i) => ({ op: i })),
      ...Array.from({ length: probe.patchWrites }, (_, i) => ({ write: i })),
    ];
    for (const point of crashPoints) {
      await prepareV1();
      const label = JSON.stringify(point);
      let ops = 0;
      let writes = 0;
      const crashed = run({
        sourceDir: sourceV2,
        hooks: {
          afterCommitOp: () => {
            if (ops++ === point.op) throw new Error(`crash at ${label}`);
          },
          afterPatchWrite: () => {
            if (writes++ === point.write) throw new Error(`crash at ${label}`);
          },
        },
      });
      await expect(crashed, label).rejects.toThrow(`crash at ${label}`);
      expect(await readdir(dirs.work), label).toContain('journal');

      expect(await recoverReplica(dirs.work, dirs.target, silentLogger()), label).toBe(
        'rolled-forward',
      );

      expect(await compareTrees(sourceV2, dirs.target, EXACT), label).toEqual([]);
      expect((await readdir(dirs.work)).sort(), label).toEqual(INDEX_FILES);
      const next = await run({ sourceDir: sourceV2 });
      expect(next.planner, label).toBe('index');
      expect(next.filesCopied + next.filesPatched + next.metadataUpdated, label).toBe(0);
    }
  });

  /** Runs v1 to v2 once and counts the journal ops and in-place writes. */
  async function countCrashPoints(sourceV2: string): Promise<{ ops: number; patchWrites: number }> {
    let ops = 0;
    let patchWrites = 0;
    const stats = await run({
      sourceDir: sourceV2,
      hooks: { afterCommitOp: () => void ops++, afterPatchWrite: () => void patchWrites++ },
    });
    expect(stats.filesPatched).toBe(1);
    return { ops, patchWrites };
  }
});
