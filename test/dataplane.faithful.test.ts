import { randomBytes } from 'node:crypto';
import { chmod, lchown, link, lstat, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replicateTree, type ReplicateTreeOptions } from '../src/dataplane/replicate.js';
import { compareTrees } from './support/compare-trees.js';
import {
  dumpXattrsWithPython,
  nativeAvailable,
  setTimesNs,
  setUserXattr,
} from './support/native.js';
import {
  createReplicationDirs,
  replicaMtimeToleranceNs,
  silentLogger,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, file, hardlink, sparseFile, symlink, writeTree } from './support/tree.js';

const MIB = 1024 * 1024;
const TOLERANCE = { mtimeToleranceNs: replicaMtimeToleranceNs() };
const isRoot = process.getuid?.() === 0;

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-faithful-');
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

const src = (rel: string) => path.join(dirs.source, rel);
const dst = (rel: string) => path.join(dirs.target, rel);

async function ino(filePath: string): Promise<bigint> {
  return (await lstat(filePath, { bigint: true })).ino;
}

describe.skipIf(!nativeAvailable)('nanosecond times', () => {
  it('copies mtimes to the nanosecond', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a'), sub: dir({}), ln: symlink('a.txt') });
    const times: Record<string, bigint> = {
      'a.txt': 1_600_000_000_000_000_001n,
      sub: 1_600_000_000_999_999_999n,
      ln: 1_500_000_000_123_456_789n,
    };
    for (const [rel, ns] of Object.entries(times)) setTimesNs(src(rel), ns, ns);

    await run();

    for (const [rel, ns] of Object.entries(times)) {
      expect((await lstat(dst(rel), { bigint: true })).mtimeNs, rel).toBe(ns);
    }
  });

  it('updates a sub-microsecond mtime change', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a') });
    setTimesNs(src('a.txt'), 1_600_000_000_000_000_000n, 1_600_000_000_000_000_000n);
    await run();
    setTimesNs(src('a.txt'), 1_600_000_000_000_000_000n, 1_600_000_000_000_000_007n);

    const stats = await run();

    expect(stats.metadataUpdated).toBe(1);
    expect((await lstat(dst('a.txt'), { bigint: true })).mtimeNs).toBe(1_600_000_000_000_000_007n);
  });
});

describe('hard links', () => {
  it('links paths of one source inode', async () => {
    await writeTree(dirs.source, {
      'a.txt': file('shared'),
      sub: dir({ 'b.txt': hardlink('a.txt'), deeper: dir({ 'c.txt': hardlink('a.txt') }) }),
      'single.txt': file('alone'),
    });

    const stats = await run();

    expect(stats.filesCopied).toBe(2);
    expect(stats.hardLinksCreated).toBe(2);
    expect(await ino(dst('sub/b.txt'))).toBe(await ino(dst('a.txt')));
    expect(await ino(dst('sub/deeper/c.txt'))).toBe(await ino(dst('a.txt')));
    expect(await ino(dst('single.txt'))).not.toBe(await ino(dst('a.txt')));
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('follows link changes', async () => {
    await writeTree(dirs.source, {
      'a.txt': file('group one'),
      'b.txt': hardlink('a.txt'),
      'c.txt': file('group two'),
      'd.txt': hardlink('c.txt'),
    });
    await run();
    await link(src('a.txt'), src('new-link.txt'));
    await rm(src('d.txt'));
    await writeFile(src('d.txt'), 'group two');
    await writeFile(src('b.txt'), 'group one, rewritten through b');

    const stats = await run();

    expect(stats.planner).toBe('index');
    expect(await ino(dst('new-link.txt'))).toBe(await ino(dst('a.txt')));
    expect(await ino(dst('b.txt'))).toBe(await ino(dst('a.txt')));
    expect(await ino(dst('d.txt'))).not.toBe(await ino(dst('c.txt')));
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('keeps links of an unchanged group', async () => {
    await writeTree(dirs.source, { 'a.txt': file('x'), 'b.txt': hardlink('a.txt') });
    await run();
    await link(src('a.txt'), src('c.txt'));

    const stats = await run();

    expect(stats.filesCopied).toBe(0);
    expect(stats.hardLinksCreated).toBe(1);
    expect(await ino(dst('c.txt'))).toBe(await ino(dst('a.txt')));
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });
});

describe('sparse files', () => {
  it('keeps holes as holes', async () => {
    await writeTree(dirs.source, {
      'disk.img': sparseFile(64 * MIB, [
        [0, randomBytes(4096)],
        [10 * MIB, randomBytes(100_000)],
        [63 * MIB, randomBytes(10)],
      ]),
      'trailing-hole.img': sparseFile(8 * MIB, [[0, randomBytes(1000)]]),
    });

    const stats = await run();

    expect(stats.bytesCopied).toBe(72 * MIB);
    for (const name of ['disk.img', 'trailing-hole.img']) {
      const source = await lstat(src(name));
      const replica = await lstat(dst(name));
      expect(replica.size, name).toBe(source.size);
      expect(replica.blocks * 512, name).toBeLessThan(MIB);
    }
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });
});

describe.skipIf(!nativeAvailable)('extended attributes', () => {
  it('copies user attributes of files and directories', async () => {
    await writeTree(dirs.source, {
      'a.txt': file('a', {
        xattrs: { 'user.mime_type': 'text/plain', 'user.bin': Buffer.from([0, 255]) },
      }),
      tagged: dir({ 'b.txt': file('b') }, { xattrs: { 'user.folder': 'yes' } }),
      ln: symlink('a.txt'),
    });

    await run();

    expect(dumpXattrsWithPython(dirs.target)).toEqual(dumpXattrsWithPython(dirs.source));
    expect(Object.keys(dumpXattrsWithPython(dirs.target))).toHaveLength(2);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('follows attribute changes without copying', async () => {
    await writeTree(dirs.source, {
      'a.txt': file('a', { xattrs: { 'user.keep': '1', 'user.drop': '2' } }),
      tagged: dir({}, { xattrs: { 'user.folder': 'old' } }),
    });
    await run();
    const python = `
import os, sys
os.removexattr(sys.argv[1], 'user.drop')
os.setxattr(sys.argv[1], 'user.added', b'3')
os.setxattr(sys.argv[2], 'user.folder', b'new')
`;
    const { execFileSync } = await import('node:child_process');
    execFileSync('python3', ['-c', python, src('a.txt'), src('tagged')]);

    const stats = await run();

    expect(stats.filesCopied).toBe(0);
    expect(stats.metadataUpdated).toBe(2);
    expect(dumpXattrsWithPython(dirs.target)).toEqual(dumpXattrsWithPython(dirs.source));
  });

  it('sets attributes through the index only after a change', async () => {
    await writeTree(dirs.source, { d: dir({ 'a.txt': file('a') }) });
    await run();
    setUserXattr(src('d/a.txt'), 'user.late', 'x');

    const stats = await run();

    expect(stats.planner).toBe('index');
    expect(dumpXattrsWithPython(dirs.target)).toEqual(dumpXattrsWithPython(dirs.source));
  });
});

describe.skipIf(!isRoot)('owners', () => {
  it('copies uid and gid of every entry type', async () => {
    await writeTree(dirs.source, {
      'a.txt': file('a', { owner: { uid: 1001, gid: 2002 } }),
      'setuid.bin': file('s', { owner: { uid: 1003, gid: 1003 }, mode: 0o4755 }),
      owned: dir({ 'b.txt': file('b') }, { owner: { uid: 1004, gid: 2004 } }),
      ln: symlink('a.txt', { owner: { uid: 1005, gid: 2005 } }),
    });

    await run();

    for (const rel of ['a.txt', 'setuid.bin', 'owned', 'ln']) {
      const source = await lstat(src(rel));
      const replica = await lstat(dst(rel));
      expect([replica.uid, replica.gid], rel).toEqual([source.uid, source.gid]);
    }
    expect((await lstat(dst('setuid.bin'))).mode & 0o7777).toBe(0o4755);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('follows an owner change without copying', async () => {
    await writeTree(dirs.source, { sub: dir({ 'a.txt': file('a'), ln: symlink('x') }) });
    await run();
    await lchown(src('sub/a.txt'), 3000, 3001);
    await lchown(src('sub/ln'), 3002, 3003);
    await chmod(src('sub'), 0o750);

    const stats = await run();

    expect(stats.filesCopied).toBe(0);
    expect(stats.symlinksCopied).toBe(0);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });
});
