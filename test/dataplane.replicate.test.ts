import { execFileSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  replicateTree,
  type ReplicateTreeOptions,
  type TransferProgress,
} from '../src/dataplane/replicate.js';
import { compareTrees } from './support/compare-trees.js';
import { generateRealisticTree, mutateTree } from './support/realistic-tree.js';
import {
  captureLogger,
  createReplicationDirs,
  INDEX_FILES,
  replicaMtimeToleranceNs,
  silentLogger,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, fifo, file, symlink as symlinkNode, writeTree } from './support/tree.js';

const TOLERANCE = { mtimeToleranceNs: replicaMtimeToleranceNs() };

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs();
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

/** ctime of every entry below root: any write, chmod, utimes or rename there changes one. */
async function ctimes(root: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  const visit = async (dirPath: Buffer, rel: string) => {
    for (const name of await readdir(dirPath, { encoding: 'buffer' })) {
      const child = Buffer.concat([dirPath, Buffer.from('/'), name]);
      const childRel = `${rel}/${name.toString('latin1')}`;
      const stats = await lstat(child, { bigint: true });
      out.set(childRel, stats.ctimeNs);
      if (stats.isDirectory()) await visit(child, childRel);
    }
  };
  out.set('.', (await lstat(root, { bigint: true })).ctimeNs);
  await visit(Buffer.from(root), '');
  return out;
}

describe('replicateTree baseline', () => {
  it('copies a realistic tree exactly', async () => {
    const generateStarted = performance.now();
    const summary = await generateRealisticTree(dirs.source, {
      files: 3000,
      seed: 1,
      extras: true,
    });
    const generateMs = performance.now() - generateStarted;

    const stats = await run();
    process.stdout.write(
      `realistic tree of ${summary.files} files, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB: ` +
        `generated in ${generateMs.toFixed(0)} ms, baseline in ${stats.durationMs.toFixed(0)} ms, ` +
        `commit window ${stats.commitWindowMs.toFixed(1)} ms\n`,
    );

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(stats.planner).toBe('replica');
    expect(stats.filesCopied).toBe(summary.files - summary.hardLinks);
    expect(stats.hardLinksCreated).toBe(summary.hardLinks);
    expect(stats.bytesCopied).toBe(summary.bytes);
    expect(stats.symlinksCopied).toBe(summary.symlinks);
    expect(stats.entriesDeleted).toBe(0);
    expect(stats.skippedSpecial).toEqual([]);
    expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
  });

  it('syncs root metadata, keeps root inode', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a') });
    await chmod(dirs.source, 0o750);
    await utimes(dirs.source, 1_600_000_000.5, 1_600_000_000.5);
    const inodeBefore = (await stat(dirs.target)).ino;

    await run();

    expect((await stat(dirs.target)).ino).toBe(inodeBefore);
    expect(
      await compareTrees(dirs.source, dirs.target, { ...TOLERANCE, compareRootMetadata: true }),
    ).toEqual([]);
  });

  it('copies empty directories with mode and mtime', async () => {
    await writeTree(dirs.source, {
      empty: dir({}, { mode: 0o711, mtime: 1_500_000_000.123456 }),
      outer: dir({ inner: dir({ deepest: dir({}, { mode: 0o700 }) }) }, { mtime: 1_400_000_000 }),
    });

    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect((await stat(path.join(dirs.target, 'empty'))).mode & 0o7777).toBe(0o711);
  });

  it('keeps nanosecond mtimes within half a microsecond', async () => {
    for (let i = 0; i < 20; i++) await writeFile(path.join(dirs.source, `f${i}`), `${i}`);

    await run();

    for (let i = 0; i < 20; i++) {
      const source = await lstat(path.join(dirs.source, `f${i}`), { bigint: true });
      const target = await lstat(path.join(dirs.target, `f${i}`), { bigint: true });
      const delta = source.mtimeNs - target.mtimeNs;
      expect(delta, `f${i}`).toBeLessThanOrEqual(500n);
      expect(delta, `f${i}`).toBeGreaterThanOrEqual(-500n);
    }
  });

  it('reports progress up to the planned totals', async () => {
    await writeTree(dirs.source, {
      'a.bin': file(Buffer.alloc(10_000, 1)),
      sub: dir({ 'b.bin': file(Buffer.alloc(5_000, 2)), 'c.txt': file('') }),
    });
    const seen: TransferProgress[] = [];

    await run({ onProgress: (progress) => seen.push(progress) });

    expect(seen).toHaveLength(3);
    expect(seen.at(-1)).toEqual({
      filesDone: 3,
      filesTotal: 3,
      bytesDone: 15_000,
      bytesTotal: 15_000,
    });
  });
});

describe('replicateTree incremental runs', () => {
  it('copies only changed files', async () => {
    await generateRealisticTree(dirs.source, { files: 600, seed: 2 });
    await run();
    const report = await mutateTree(dirs.source, 5);

    const stats = await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(stats.filesCopied).toBe(report.filesWritten);
    expect(stats.entriesDeleted).toBe(report.topmostRemovals);
    expect(stats.symlinksCopied).toBe(report.symlinkRetargeted.length);
    expect(stats.metadataUpdated).toBeGreaterThanOrEqual(report.modeChanged.length);
    expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
  });

  it('touches nothing when nothing changed', async () => {
    await generateRealisticTree(dirs.source, { files: 300, seed: 3 });
    await run();
    const before = await ctimes(dirs.target);

    const stats = await run();

    expect(stats).toMatchObject({
      filesCopied: 0,
      bytesCopied: 0,
      entriesDeleted: 0,
      metadataUpdated: 0,
    });
    expect(stats.commitWindowMs).toBe(0);
    expect(await ctimes(dirs.target)).toEqual(before);
  });

  it('updates a mode-only change without copying', async () => {
    await writeTree(dirs.source, { 'a.txt': file('same', { mode: 0o644 }) });
    await run();
    await chmod(path.join(dirs.source, 'a.txt'), 0o600);

    const stats = await run();

    expect(stats.filesCopied).toBe(0);
    expect(stats.metadataUpdated).toBe(1);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('recopies a same-size file with a new mtime', async () => {
    await writeTree(dirs.source, { 'a.txt': file('aaaa', { mtime: 1_600_000_000 }) });
    await run();
    await writeTree(dirs.source, {});
    await writeFile(path.join(dirs.source, 'a.txt'), 'bbbb');
    await utimes(path.join(dirs.source, 'a.txt'), 1_600_000_001, 1_600_000_001);

    const stats = await run();

    expect(stats.filesCopied).toBe(1);
    expect(await readFile(path.join(dirs.target, 'a.txt'), 'utf8')).toBe('bbbb');
  });

  it('replaces entries whose type changed', async () => {
    await writeTree(dirs.source, {
      'file-to-dir': file('f'),
      'dir-to-file': dir({ inner: dir({ 'x.txt': file('x') }) }),
      'link-to-file': symlinkNode('somewhere'),
      'file-to-link': file('g'),
      'dir-to-link': dir({ 'y.txt': file('y') }),
    });
    await run();
    const src = (name: string) => path.join(dirs.source, name);
    await rm(src('file-to-dir'));
    await writeTree(src('file-to-dir'), { 'new.txt': file('new') });
    await rm(src('dir-to-file'), { recursive: true });
    await writeFile(src('dir-to-file'), 'now a file');
    await rm(src('link-to-file'));
    await writeFile(src('link-to-file'), 'was a link');
    await rm(src('file-to-link'));
    await symlink('target-bytes', src('file-to-link'));
    await rm(src('dir-to-link'), { recursive: true });
    await symlink('/', src('dir-to-link'));

    const stats = await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(stats.entriesDeleted).toBe(5);
  });

  it('updates read-only directories', async () => {
    await writeTree(dirs.source, {
      ro: dir(
        { 'a.txt': file('a'), sub: dir({ 'b.txt': file('b') }, { mode: 0o555 }) },
        { mode: 0o555 },
      ),
    });
    await run();
    await chmod(path.join(dirs.source, 'ro'), 0o755);
    await writeFile(path.join(dirs.source, 'ro', 'c.txt'), 'c');
    await rm(path.join(dirs.source, 'ro', 'a.txt'));
    await chmod(path.join(dirs.source, 'ro'), 0o500);

    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });
});

describe('replicateTree containment', () => {
  it('copies outside symlinks unfollowed', async () => {
    await writeTree(dirs.outside, { 'secret.txt': file('secret', { mtime: 1_500_000_000 }) });
    await writeTree(dirs.source, {
      'abs-outside': symlinkNode(dirs.outside),
      'rel-outside': symlinkNode('../outside'),
      'to-secret': symlinkNode(path.join(dirs.outside, 'secret.txt')),
    });
    const outsideBefore = await ctimes(dirs.outside);

    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    for (const name of ['abs-outside', 'rel-outside', 'to-secret']) {
      expect((await lstat(path.join(dirs.target, name))).isSymbolicLink()).toBe(true);
    }
    expect(await ctimes(dirs.outside)).toEqual(outsideBefore);
  });

  it('never writes through replica symlinks', async () => {
    await writeTree(dirs.outside, { 'keep.txt': file('keep') });
    await writeTree(dirs.source, {
      data: symlinkNode(dirs.outside),
      gone: symlinkNode(dirs.outside),
    });
    await run();
    await rm(path.join(dirs.source, 'data'));
    await rm(path.join(dirs.source, 'gone'));
    await writeTree(dirs.source, {
      data: dir({ 'new.txt': file('new'), 'keep.txt': file('overwritten?') }),
    });
    const outsideBefore = await ctimes(dirs.outside);

    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(await ctimes(dirs.outside)).toEqual(outsideBefore);
    expect(await readFile(path.join(dirs.outside, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('keeps the work directory out of the replica', async () => {
    await generateRealisticTree(dirs.source, { files: 200, seed: 4 });

    await run();
    await mutateTree(dirs.source, 8);
    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
  });

  it.each([
    [
      'workDir inside targetDir',
      (d: ReplicationDirs) => ({ workDir: path.join(d.target, 'work') }),
    ],
    [
      'targetDir inside sourceDir',
      (d: ReplicationDirs) => ({ targetDir: path.join(d.source, 'replica') }),
    ],
    ['sourceDir equal to targetDir', (d: ReplicationDirs) => ({ sourceDir: d.target })],
    ['a relative workDir', () => ({ workDir: 'relative/work' })],
  ])('rejects %s', async (_name, override) => {
    await mkdir(path.join(dirs.source, 'replica'));
    await expect(run(override(dirs))).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(await readdir(dirs.target)).toEqual([]);
  });
});

describe('replicateTree special files and names', () => {
  it('skips special files and reports them', async () => {
    await writeTree(dirs.source, {
      pipe: fifo(),
      'a.txt': file('a'),
      sub: dir({ 'inner-pipe': fifo(), 'b.txt': file('b') }),
    });
    const { logger, records } = captureLogger();

    const stats = await run({ logger });

    expect(stats.skippedSpecial.sort()).toEqual(['pipe', 'sub/inner-pipe']);
    expect(stats.skippedSpecialCount).toBe(2);
    const isPipe = (rel: Buffer) => rel.toString().endsWith('pipe');
    expect(await compareTrees(dirs.source, dirs.target, { ...TOLERANCE, ignore: isPipe })).toEqual(
      [],
    );
    expect(await readdir(dirs.target)).not.toContain('pipe');
    const warned = records.filter(
      (r) => r.msg === 'Skipped a special file (device, socket or FIFO)',
    );
    expect(warned.map((r) => r.path).sort()).toEqual(['pipe', 'sub/inner-pipe']);
  });

  it('removes a replica entry whose source became a FIFO', async () => {
    await writeTree(dirs.source, { thing: file('was a file') });
    await run();
    await rm(path.join(dirs.source, 'thing'));
    execFileSync('mkfifo', [path.join(dirs.source, 'thing')]);

    const stats = await run();

    expect(stats.entriesDeleted).toBe(1);
    expect(await readdir(dirs.target)).toEqual([]);
  });

  it('keeps any name byte for byte', async () => {
    const names = [
      Buffer.from([0xff, 0xfe, 0x78]),
      Buffer.from('caf\xe9.txt', 'latin1'),
      Buffer.from('n'.repeat(255)),
      Buffer.from('한'.repeat(85)),
      Buffer.from('한글.txt'.normalize('NFC')),
      Buffer.from('한글.txt'.normalize('NFD')),
      Buffer.from('line\nbreak'),
      Buffer.from(' leading space'),
    ];
    await writeTree(dirs.source, [
      ...names.map((name, i) => [name, file(`content ${i}`)] as const),
      [
        Buffer.from([0x80, 0x81]),
        dir([[Buffer.from([0xc0]), symlinkNode(Buffer.from([0xfe, 0x2f, 0xff]))]]),
      ],
    ]);
    expect(names[2]).toHaveLength(255);
    expect(names[3]).toHaveLength(255);

    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    const targetNames = await readdir(dirs.target, { encoding: 'buffer' });
    for (const name of names)
      expect(
        targetNames.some((n) => n.equals(name)),
        name.toString('hex'),
      ).toBe(true);
  });

  it('follows a directory rename in the source', async () => {
    await writeTree(dirs.source, { a: dir({ b: file('1') }) });
    await run();
    await rename(path.join(dirs.source, 'a'), path.join(dirs.source, 'c'));

    await run();

    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });
});
