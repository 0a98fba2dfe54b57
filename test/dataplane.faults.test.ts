import { readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyContext, applyJournal } from '../src/dataplane/apply-journal.js';
import { readJournal } from '../src/dataplane/journal.js';
import {
  recoverReplica,
  replicateTree,
  type ReplicateTreeOptions,
} from '../src/dataplane/replicate.js';
import { workDirLayout } from '../src/dataplane/workdir.js';
import { compareTrees } from './support/compare-trees.js';
import {
  captureLogger,
  createReplicationDirs,
  INDEX_FILES,
  replicaMtimeToleranceNs,
  silentLogger,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, file, symlink as symlinkNode, writeTree, type TreeSpec } from './support/tree.js';

const TOLERANCE = { mtimeToleranceNs: replicaMtimeToleranceNs() };
const EXACT_WITH_ROOT = { ...TOLERANCE, compareRootMetadata: true };

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs();
});
afterEach(async () => {
  await dirs.cleanup();
});

function replicate(
  options: Partial<ReplicateTreeOptions> & { sourceDir?: string; targetDir?: string } = {},
) {
  return replicateTree({
    sourceDir: dirs.source,
    targetDir: dirs.target,
    workDir: dirs.work,
    logger: silentLogger(),
    ...options,
  });
}

/** Copies the current replica into a fresh directory, to compare against after a failed run. */
async function snapshotReplica(name: string): Promise<string> {
  const snapshot = path.join(dirs.base, name);
  await replicateTree({
    sourceDir: dirs.target,
    targetDir: await mkdirp(snapshot),
    workDir: path.join(dirs.base, `${name}-work`),
    logger: silentLogger(),
  });
  return snapshot;
}

async function mkdirp(dirPath: string): Promise<string> {
  await writeTree(dirPath, {});
  return dirPath;
}

/** Returns every regular file's content below root. */
async function allFileContents(root: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(await readFile(path.join(entry.parentPath, entry.name)));
  }
  return out;
}

describe('consistent reading', () => {
  it('recopies a file that changed during its copy', async () => {
    await writeTree(dirs.source, {
      'big.bin': file(Buffer.alloc(4 * 1024 * 1024, 1)),
      'other.txt': file('o'),
    });
    const bigPath = path.join(dirs.source, 'big.bin');
    const attempts: number[] = [];
    const { logger, records } = captureLogger();

    const stats = await replicate({
      logger,
      hooks: {
        beforeFileCopy: async (rel, attempt) => {
          if (rel.toString() !== 'big.bin') return;
          attempts.push(attempt);
          if (attempt === 1) await writeFile(bigPath, Buffer.alloc(4 * 1024 * 1024, 2));
        },
      },
    });

    expect(attempts).toEqual([1, 2]);
    expect(stats.filesCopied).toBe(2);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect((await readFile(path.join(dirs.target, 'big.bin')))[0]).toBe(2);
    expect(
      records.some((r) => r.msg === 'Source file changed during copy' && r.path === 'big.bin'),
    ).toBe(true);
  });

  it('detects a metadata-only change during the copy', async () => {
    await writeTree(dirs.source, { 'a.txt': file('same bytes', { mode: 0o644 }) });
    const attempts: number[] = [];

    await replicate({
      hooks: {
        beforeFileCopy: async (_rel, attempt) => {
          attempts.push(attempt);
          if (attempt === 1)
            await utimes(path.join(dirs.source, 'a.txt'), 1_234_567_890, 1_234_567_890);
        },
      },
    });

    expect(attempts).toEqual([1, 2]);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('fails on a file that keeps changing', async () => {
    await writeTree(dirs.source, { 'a.txt': file('version 1'), 'b.txt': file('b1') });
    await replicate();
    const previous = await snapshotReplica('previous');
    await writeFile(path.join(dirs.source, 'a.txt'), 'version 2');
    await writeFile(path.join(dirs.source, 'b.txt'), 'b2');
    let writes = 0;

    const failed = replicate({
      hooks: {
        beforeFileCopy: async (rel) => {
          if (rel.toString() === 'a.txt')
            await writeFile(path.join(dirs.source, 'a.txt'), `version ${3 + writes++}`);
        },
      },
    });

    await expect(failed).rejects.toMatchObject({ code: 'SOURCE_CHANGED', path: 'a.txt' });
    expect(await compareTrees(previous, dirs.target, EXACT_WITH_ROOT)).toEqual([]);
    expect(await recoverReplica(dirs.work, dirs.target, silentLogger())).toBe('discarded-staging');
    expect(await compareTrees(previous, dirs.target, EXACT_WITH_ROOT)).toEqual([]);
  });

  it('skips a file that vanished during its copy', async () => {
    await writeTree(dirs.source, { 'gone.txt': file('bye'), 'stays.txt': file('hi') });
    const { logger, records } = captureLogger();

    const stats = await replicate({
      logger,
      hooks: {
        beforeFileCopy: async (rel) => {
          if (rel.toString() === 'gone.txt') await rm(path.join(dirs.source, 'gone.txt'));
        },
      },
    });

    expect(stats.filesVanished).toBe(1);
    expect(stats.filesCopied).toBe(1);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(records.some((r) => r.msg === 'Source file vanished before it was copied')).toBe(true);
  });

  it('rejects a file swapped for a symlink', async () => {
    await writeTree(dirs.outside, { 'secret.txt': file('TOP SECRET') });
    await writeTree(dirs.source, { 'a.txt': file('harmless') });
    const aPath = path.join(dirs.source, 'a.txt');

    const failed = replicate({
      hooks: {
        beforeFileCopy: async (_rel, attempt) => {
          if (attempt !== 1) return;
          await symlink(path.join(dirs.outside, 'secret.txt'), `${aPath}.tmp`);
          await rename(`${aPath}.tmp`, aPath);
        },
      },
    });

    await expect(failed).rejects.toMatchObject({ code: 'SOURCE_CHANGED', path: 'a.txt' });
    expect(await readdir(dirs.target)).toEqual([]);
    const copied = [...(await allFileContents(dirs.work)), ...(await allFileContents(dirs.target))];
    expect(copied.map((c) => c.toString())).not.toContain('TOP SECRET');
  });

  it('never reads through a swapped parent', async () => {
    await writeTree(dirs.outside, { 'file.txt': file('TOP SECRET') });
    await writeTree(dirs.source, { dir: dir({ 'file.txt': file('harmless') }) });

    const failed = replicate({
      hooks: {
        beforeFileCopy: async (_rel, attempt) => {
          if (attempt !== 1) return;
          await rename(path.join(dirs.source, 'dir'), path.join(dirs.source, 'moved'));
          await symlink(dirs.outside, path.join(dirs.source, 'dir'));
        },
      },
    });

    await expect(failed).rejects.toMatchObject({ code: 'SOURCE_CHANGED', path: 'dir/file.txt' });
    const copied = [...(await allFileContents(dirs.work)), ...(await allFileContents(dirs.target))];
    expect(copied.map((c) => c.toString())).not.toContain('TOP SECRET');
  });
});

describe('abort and interrupted transfer', () => {
  it('abort keeps the previous version', async () => {
    const v1: TreeSpec = { 'a.txt': file('one'), sub: dir({ 'b.txt': file('b') }) };
    await writeTree(dirs.source, v1);
    await replicate();
    const previous = await snapshotReplica('previous');
    await rm(path.join(dirs.source, 'a.txt'));
    const manyFiles = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`n${i}.txt`, file(`new ${i}`)]),
    );
    await writeTree(dirs.source, { added: dir(manyFiles), 'c.txt': file('c') });
    const controller = new AbortController();
    let copies = 0;

    const aborted = replicate({
      signal: controller.signal,
      hooks: {
        beforeFileCopy: () => {
          if (++copies === 10) controller.abort(new Error('test abort'));
        },
      },
    });

    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    expect(copies).toBeLessThan(51);
    expect(await compareTrees(previous, dirs.target, EXACT_WITH_ROOT)).toEqual([]);
    expect(await readdir(dirs.work)).toContain('staging');
    expect(await recoverReplica(dirs.work, dirs.target, silentLogger())).toBe('discarded-staging');
    expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
    expect(await compareTrees(previous, dirs.target, EXACT_WITH_ROOT)).toEqual([]);

    await replicate();
    expect(await compareTrees(dirs.source, dirs.target, EXACT_WITH_ROOT)).toEqual([]);
  });

  it('discards staging after pre-commit failure', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a') });

    const failed = replicate({
      hooks: {
        beforeCommit: () => {
          throw new Error('crash before commit');
        },
      },
    });

    await expect(failed).rejects.toThrow('crash before commit');
    expect(await readdir(dirs.target)).toEqual([]);
    expect(await recoverReplica(dirs.work, dirs.target, silentLogger())).toBe('discarded-staging');
    expect(await recoverReplica(dirs.work, dirs.target, silentLogger())).toBe('clean');
  });
});

describe('crash during commit', () => {
  const v1: TreeSpec = {
    'unchanged.txt': file('same', { mtime: 1_500_000_000 }),
    'modified.txt': file('old content', { mtime: 1_500_000_000 }),
    'mode-only.txt': file('mode', { mode: 0o644, mtime: 1_500_000_000 }),
    'deleted.txt': file('bye'),
    'file-to-dir': file('f'),
    'dir-to-file': dir({ 'x.txt': file('x') }),
    'deleted-dir': dir({ deep: dir({ 'y.txt': file('y') }) }),
    link: symlinkNode('old-target'),
    ro: dir({ 'r.txt': file('r') }, { mode: 0o555, mtime: 1_500_000_000 }),
    kept: dir({ 'k.txt': file('k') }, { mtime: 1_500_000_000 }),
  };
  const v2: TreeSpec = {
    'unchanged.txt': file('same', { mtime: 1_500_000_000 }),
    'modified.txt': file('new content!', { mtime: 1_600_000_000.25 }),
    'mode-only.txt': file('mode', { mode: 0o600, mtime: 1_500_000_000 }),
    'file-to-dir': dir({ 'inner.txt': file('inner') }, { mode: 0o750 }),
    'dir-to-file': file('now a file'),
    link: symlinkNode('new-target'),
    ro: dir({ 'r.txt': file('r'), 's.txt': file('s') }, { mode: 0o555, mtime: 1_600_000_000 }),
    kept: dir(
      { 'k.txt': file('k'), 'new-tree': dir({ a: dir({ 'b.txt': file('b') }) }) },
      { mtime: 1_500_000_000 },
    ),
    'new-file.bin': file(Buffer.from([0, 1, 2, 255])),
  };

  /** Builds source v1 and v2 and a replica of v1; returns the v2 source directory. */
  async function prepare(): Promise<string> {
    await writeTree(dirs.source, v1);
    await utimes(dirs.source, 1_500_000_000, 1_500_000_000);
    await replicate();
    const sourceV2 = path.join(dirs.base, 'source-v2');
    await writeTree(sourceV2, v2);
    await utimes(sourceV2, 1_600_000_000, 1_600_000_000);
    return sourceV2;
  }

  async function countCommitOps(sourceV2: string): Promise<number> {
    const probe = path.join(dirs.base, 'probe');
    await snapshotReplicaTo(probe);
    let ops = 0;
    await replicateTree({
      sourceDir: sourceV2,
      targetDir: probe,
      workDir: path.join(dirs.base, 'probe-work'),
      logger: silentLogger(),
      hooks: { afterCommitOp: () => void ops++ },
    });
    return ops;
  }

  async function snapshotReplicaTo(dirPath: string): Promise<void> {
    await writeTree(dirPath, {});
    await replicateTree({
      sourceDir: dirs.target,
      targetDir: dirPath,
      workDir: `${dirPath}-work`,
      logger: silentLogger(),
    });
  }

  it('rolls forward after a crash following any op', async () => {
    const sourceV2 = await prepare();
    const previous = path.join(dirs.base, 'previous');
    await snapshotReplicaTo(previous);
    const opCount = await countCommitOps(sourceV2);
    expect(opCount).toBeGreaterThan(10);

    for (let crashAt = 0; crashAt < opCount; crashAt++) {
      await rm(dirs.target, { recursive: true });
      await rm(dirs.work, { recursive: true, force: true });
      await writeTree(dirs.target, {});
      await replicateTree({
        sourceDir: previous,
        targetDir: dirs.target,
        workDir: dirs.work,
        logger: silentLogger(),
      });

      const crashed = replicate({
        sourceDir: sourceV2,
        hooks: {
          afterCommitOp: (index) => {
            if (index === crashAt) throw new Error(`crash after op ${index}`);
          },
        },
      });
      await expect(crashed).rejects.toThrow(`crash after op ${crashAt}`);
      expect(await readdir(dirs.work)).toContain('journal');

      expect(await recoverReplica(dirs.work, dirs.target, silentLogger())).toBe('rolled-forward');
      const differences = await compareTrees(sourceV2, dirs.target, EXACT_WITH_ROOT);
      expect(differences, `crash after op ${crashAt}`).toEqual([]);
      expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
    }
  });

  it('rolls forward after a crash during recovery', async () => {
    const sourceV2 = await prepare();
    const opCount = await countCommitOps(sourceV2);
    const crashAt = Math.floor(opCount / 2);
    const crashed = replicate({
      sourceDir: sourceV2,
      hooks: {
        afterCommitOp: (index) => {
          if (index === crashAt) throw new Error('crash');
        },
      },
    });
    await expect(crashed).rejects.toThrow('crash');
    const layout = workDirLayout(dirs.work);
    const ops = await readJournal(layout);
    await applyJournal(applyContext(layout, Buffer.from(dirs.target)), ops.slice(0, 2));

    expect(await recoverReplica(dirs.work, dirs.target, silentLogger())).toBe('rolled-forward');

    expect(await compareTrees(sourceV2, dirs.target, EXACT_WITH_ROOT)).toEqual([]);
  });

  it('rejects a damaged journal', async () => {
    const sourceV2 = await prepare();
    const crashed = replicate({
      sourceDir: sourceV2,
      hooks: {
        afterCommitOp: () => {
          throw new Error('crash');
        },
      },
    });
    await expect(crashed).rejects.toThrow('crash');
    const journalPath = path.join(dirs.work, 'journal');
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    await writeFile(journalPath, lines.slice(0, -3).join('\n'));

    await expect(recoverReplica(dirs.work, dirs.target, silentLogger())).rejects.toMatchObject({
      code: 'JOURNAL_INVALID',
    });
  });
});
