import {
  chmod,
  lchown,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareTrees, type DifferenceKind } from './support/compare-trees.js';
import { generateRealisticTree, listEntries, mutateTree } from './support/realistic-tree.js';
import { createReplicationDirs, type ReplicationDirs } from './support/replication-dirs.js';
import { dumpXattrsWithPython, nativeAvailable, setUserXattr } from './support/native.js';
import {
  dir,
  file,
  hardlink,
  sparseFile,
  symlink as symlinkNode,
  writeTree,
  type TreeSpec,
} from './support/tree.js';

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-support-');
});
afterEach(async () => {
  await dirs.cleanup();
});

const baseTree: TreeSpec = {
  'a.txt': file('alpha', { mode: 0o644, mtime: 1_600_000_000 }),
  sub: dir(
    { 'b.bin': file(Buffer.from([1, 2, 3]), { mtime: 1_600_000_000 }) },
    { mtime: 1_600_000_000 },
  ),
  link: symlinkNode('a.txt', { mtime: 1_600_000_000 }),
};

describe('compareTrees', () => {
  it('finds no difference between identical trees', async () => {
    await writeTree(dirs.source, baseTree);
    await writeTree(dirs.target, baseTree);

    expect(await compareTrees(dirs.source, dirs.target)).toEqual([]);
  });

  const cases: Array<[string, DifferenceKind, string, (root: string) => Promise<void>]> = [
    ['an extra entry in b', 'only-in-b', 'extra', (r) => writeFile(path.join(r, 'extra'), '')],
    ['a missing entry in b', 'only-in-a', 'a.txt', (r) => rm(path.join(r, 'a.txt'))],
    [
      'a changed type',
      'type',
      'link',
      async (r) => {
        await rm(path.join(r, 'link'));
        await mkdir(path.join(r, 'link'));
      },
    ],
    [
      'same-size content',
      'content',
      'a.txt',
      (r) => rewriteKeepingMtime(path.join(r, 'a.txt'), 'ALPHA'),
    ],
    [
      'a different size',
      'content',
      'a.txt',
      (r) => rewriteKeepingMtime(path.join(r, 'a.txt'), 'alphabet'),
    ],
    ['a file mode', 'mode', 'a.txt', (r) => chmod(path.join(r, 'a.txt'), 0o600)],
    ['a directory mode', 'mode', 'sub', (r) => chmod(path.join(r, 'sub'), 0o700)],
    [
      'a file mtime',
      'mtime',
      'a.txt',
      (r) => utimes(path.join(r, 'a.txt'), 1_600_000_001, 1_600_000_001),
    ],
    [
      'a directory mtime',
      'mtime',
      'sub',
      (r) => utimes(path.join(r, 'sub'), 1_600_000_001, 1_600_000_001),
    ],
    [
      'a symlink target',
      'symlink-target',
      'link',
      async (r) => {
        await rm(path.join(r, 'link'));
        await symlink('b.txt', path.join(r, 'link'));
      },
    ],
  ];

  it.each(cases)('reports %s', async (_name, kind, where, change) => {
    await writeTree(dirs.source, baseTree);
    await writeTree(dirs.target, baseTree);
    await change(dirs.target);

    const differences = await compareTrees(dirs.source, dirs.target, {
      compareSymlinkMtimes: false,
    });

    expect(differences.map((d) => [d.kind, d.path])).toEqual([[kind, where]]);
    expect(differences[0]?.message.startsWith(`${where}: `)).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)('reports an owner', async () => {
    await writeTree(dirs.source, baseTree);
    await writeTree(dirs.target, baseTree);
    await lchown(path.join(dirs.target, 'sub'), 1234, 5678);

    const differences = await compareTrees(dirs.source, dirs.target);

    expect(differences.map((d) => [d.kind, d.path])).toEqual([['owner', 'sub']]);
    expect(differences[0]?.message).toBe('sub: owner 0:0 vs 1234:5678');
  });

  it.skipIf(!nativeAvailable)('reports an extended attribute', async () => {
    await writeTree(dirs.source, baseTree);
    await writeTree(dirs.target, baseTree);
    setUserXattr(path.join(dirs.target, 'a.txt'), 'user.extra', 'x');

    const differences = await compareTrees(dirs.source, dirs.target);

    expect(differences.map((d) => [d.kind, d.path])).toEqual([['xattr', 'a.txt']]);
  });

  it('reports a missing hard link', async () => {
    const same = { mtime: 1_600_000_000 };
    await writeTree(dirs.source, { 'x.txt': file('same', same), 'y.txt': hardlink('x.txt') });
    await writeTree(dirs.target, { 'x.txt': file('same', same), 'y.txt': file('same', same) });

    const differences = await compareTrees(dirs.source, dirs.target);

    expect(differences.map((d) => [d.kind, d.path])).toEqual([['hard-link', 'y.txt']]);
  });

  it('reports a filled hole', async () => {
    const data = Buffer.alloc(4096, 1);
    await writeTree(dirs.source, {
      'disk.img': sparseFile(8 * 1024 * 1024, [[0, data]], { mtime: 5 }),
    });
    const dense = Buffer.alloc(8 * 1024 * 1024);
    data.copy(dense);
    await writeTree(dirs.target, { 'disk.img': file(dense, { mtime: 5 }) });

    const differences = await compareTrees(dirs.source, dirs.target);

    expect(differences.map((d) => [d.kind, d.path])).toEqual([['allocation', 'disk.img']]);
    expect(
      await compareTrees(dirs.source, dirs.target, { allocationToleranceBytes: false }),
    ).toEqual([]);
  });

  it('tells NFC and NFD names apart', async () => {
    await writeTree(dirs.source, { ['한글'.normalize('NFC')]: file('x', { mtime: 1 }) });
    await writeTree(dirs.target, { ['한글'.normalize('NFD')]: file('x', { mtime: 1 }) });

    const kinds = (await compareTrees(dirs.source, dirs.target)).map((d) => d.kind).sort();

    expect(kinds).toEqual(['only-in-a', 'only-in-b']);
  });

  it('names non-UTF-8 paths with escapes', async () => {
    await writeTree(dirs.source, [[Buffer.from([0x61, 0xff]), file('x')]]);

    const differences = await compareTrees(dirs.source, dirs.target);

    expect(differences.map((d) => d.message)).toEqual(['a\\xff: only in a']);
  });

  it('applies the mtime tolerance inclusively', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a', { mtime: 1_600_000_000_000_000_000n }) });
    await writeTree(dirs.target, { 'a.txt': file('a', { mtime: 1_600_000_000_000_001_000n }) });

    expect(await compareTrees(dirs.source, dirs.target, { mtimeToleranceNs: 1000n })).toEqual([]);
    expect(await compareTrees(dirs.source, dirs.target, { mtimeToleranceNs: 999 })).toHaveLength(1);
  });

  it('compares root metadata only when asked', async () => {
    await chmod(dirs.target, 0o700);
    await chmod(dirs.source, 0o755);

    expect(await compareTrees(dirs.source, dirs.target)).toEqual([]);
    const withRoot = await compareTrees(dirs.source, dirs.target, { compareRootMetadata: true });
    expect(withRoot.map((d) => [d.kind, d.path])).toContainEqual(['mode', '.']);
  });

  it('leaves out ignored entries', async () => {
    await writeTree(dirs.source, {
      skip: dir({ 'x.txt': file('x') }),
      keep: file('k', { mtime: 5 }),
    });
    await writeTree(dirs.target, { keep: file('k', { mtime: 5 }) });

    const differences = await compareTrees(dirs.source, dirs.target, {
      ignore: (rel) => rel.toString() === 'skip',
    });

    expect(differences).toEqual([]);
  });
});

describe('writeTree', () => {
  it('writes names, modes, mtimes and symlinks as specified', async () => {
    await writeTree(dirs.source, [
      [Buffer.from([0xfe]), file('raw', { mode: 0o640, mtime: 1_500_000_000.5 })],
      ['ro', dir({ inner: file('i') }, { mode: 0o555, mtime: 1_400_000_000 })],
      ['ln', symlinkNode(Buffer.from([0x2f, 0xff]), { mtime: 1_300_000_000 })],
    ]);

    const raw = await lstat(Buffer.concat([Buffer.from(`${dirs.source}/`), Buffer.from([0xfe])]), {
      bigint: true,
    });
    expect(raw.mode & 0o7777n).toBe(0o640n);
    expect(raw.mtimeNs).toBe(1_500_000_000_500_000_000n);
    const ro = await lstat(path.join(dirs.source, 'ro'), { bigint: true });
    expect(ro.mode & 0o7777n).toBe(0o555n);
    expect(ro.mtimeNs).toBe(1_400_000_000_000_000_000n);
    expect(await readlink(path.join(dirs.source, 'ln'), { encoding: 'buffer' })).toEqual(
      Buffer.from([0x2f, 0xff]),
    );
    expect((await lstat(path.join(dirs.source, 'ln'), { bigint: true })).mtimeNs).toBe(
      1_300_000_000_000_000_000n,
    );
  });
});

describe('writeTree extras', () => {
  it('writes hard links, holes, attributes and owners', async () => {
    const owner = process.getuid?.() === 0 ? { uid: 4321, gid: 8765 } : undefined;
    await writeTree(dirs.source, {
      'a.txt': file('a', { owner, xattrs: nativeAvailable ? { 'user.k': 'v' } : undefined }),
      sub: dir({ 'b.txt': hardlink('a.txt') }),
      'disk.img': sparseFile(4 * 1024 * 1024, [[1024 * 1024, Buffer.alloc(10, 7)]]),
    });

    const a = await lstat(path.join(dirs.source, 'a.txt'));
    expect((await lstat(path.join(dirs.source, 'sub', 'b.txt'))).ino).toBe(a.ino);
    if (owner !== undefined) expect([a.uid, a.gid]).toEqual([4321, 8765]);
    const disk = await lstat(path.join(dirs.source, 'disk.img'));
    expect(disk.size).toBe(4 * 1024 * 1024);
    expect(disk.blocks * 512).toBeLessThanOrEqual(8192);
    if (nativeAvailable) {
      const python = dumpXattrsWithPython(dirs.source);
      expect(python[Buffer.from('a.txt').toString('hex')]).toEqual({ 'user.k': '76' });
    }
  });
});

describe('generateRealisticTree', () => {
  it('builds the promised variety', async () => {
    const summary = await generateRealisticTree(dirs.source, { files: 400, seed: 9 });
    const entries = await listEntries(Buffer.from(dirs.source));
    const names = entries.map((e) => e.rel.toString());

    expect(summary.files).toBe(400);
    const korean = await readdir(path.join(dirs.source, '한국어'));
    expect(korean).toContain('한글파일.txt'.normalize('NFC'));
    expect(korean).toContain('한글파일.txt'.normalize('NFD'));
    expect(names.some((n) => Buffer.byteLength(path.basename(n)) === 240)).toBe(true);
    expect(names).toContain('odd names/new\nline.txt');
    expect(names).toContain('odd names/back\\slash.txt');
    expect(await readlink(path.join(dirs.source, 'links/abs-hostname'))).toBe('/etc/hostname');
    expect(await readdir(path.join(dirs.source, 'empty dir'))).toEqual([]);
    expect(Math.max(...names.map((n) => n.split('/').length))).toBeGreaterThanOrEqual(5);
    expect(Math.max(...entries.map((e) => e.size))).toBeGreaterThan(1000 * 1024);
    const modes = entries.map((e) => e.mode);
    for (const mode of [0o600, 0o755, 0o444, 0o555, 0o700]) expect(modes).toContain(mode);
    expect(entries.filter((e) => e.kind === 'symlink')).toHaveLength(5);
    const subSecond = entries.filter((e) => e.mtimeNs % 1_000_000_000n !== 0n);
    expect(subSecond.length).toBeGreaterThan(entries.length / 2);
    expect(entries.some((e) => !Buffer.from(e.rel.toString()).equals(e.rel))).toBe(true);
  });

  it('repeats for the same seed', async () => {
    await generateRealisticTree(dirs.source, { files: 200, seed: 5 });
    await generateRealisticTree(dirs.target, { files: 200, seed: 5 });

    const differences = await compareTrees(dirs.source, dirs.target);

    expect(differences.filter((d) => d.kind !== 'mtime')).toEqual([]);
  });

  it('differs for another seed', async () => {
    await generateRealisticTree(dirs.source, { files: 200, seed: 5 });
    await generateRealisticTree(dirs.target, { files: 200, seed: 6 });

    expect((await compareTrees(dirs.source, dirs.target)).length).toBeGreaterThan(0);
  });
});

describe('mutateTree', () => {
  it('does what its report says', async () => {
    await generateRealisticTree(dirs.source, { files: 300, seed: 3 });

    const report = await mutateTree(dirs.source, 4);

    const at = (rel: string) => lstat(path.join(dirs.source, rel));
    expect(report.modified.length).toBeGreaterThan(1);
    expect(report.added.length).toBeGreaterThan(3);
    expect(report.deleted.length).toBeGreaterThan(1);
    expect(report.modeChanged.length).toBeGreaterThan(0);
    for (const rel of report.fileToDir) expect((await at(rel)).isDirectory()).toBe(true);
    for (const rel of report.dirToFile) expect((await at(rel)).isFile()).toBe(true);
    for (const rel of report.added) expect((await at(rel)).isFile()).toBe(true);
    for (const rel of [...report.deleted, ...report.deletedDirs])
      await expect(at(rel)).rejects.toThrow('ENOENT');
    expect(report.fileToDir).toHaveLength(1);
    expect(report.dirToFile).toHaveLength(1);
  });
});

async function rewriteKeepingMtime(filePath: string, content: string): Promise<void> {
  const before = await lstat(filePath);
  await writeFile(filePath, content);
  await utimes(filePath, before.atime, before.mtime);
  expect(await readFile(filePath, 'utf8')).toBe(content);
}
