import {
  chmod,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nativeBinding } from '../src/dataplane/native.js';
import { replicateTree, type ReplicateTreeOptions } from '../src/dataplane/replicate.js';
import { compareTrees } from './support/compare-trees.js';
import { nativeAvailable, setUserXattr } from './support/native.js';
import { generateRealisticTree, mutateTree } from './support/realistic-tree.js';
import {
  captureLogger,
  createReplicationDirs,
  INDEX_FILES,
  replicaMtimeToleranceNs,
  silentLogger,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, file, writeTree } from './support/tree.js';

/** Paths the engine passes to node:fs/promises while `recording.on` is set. */
const recording = vi.hoisted(() => ({ on: false, paths: [] as string[] }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const names = ['lstat', 'stat', 'readdir', 'opendir', 'open', 'readlink', 'access'] as const;
  const wrapped: Record<string, unknown> = {};
  for (const name of names) {
    const original = actual[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      if (recording.on) recording.paths.push(String(args[0]));
      return original(...args);
    };
  }
  return { ...actual, ...wrapped, default: { ...actual, ...wrapped } };
});

const TOLERANCE = { mtimeToleranceNs: replicaMtimeToleranceNs() };

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-index-');
});
afterEach(async () => {
  recording.on = false;
  recording.paths.length = 0;
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

/** Paths below the replica root that the engine opened, listed or stat'ed while recording. */
function replicaPathsTouched(): string[] {
  return recording.paths.filter((p) => p.startsWith(`${dirs.target}/`));
}

describe('index planner', () => {
  it('reads no replica entry when unchanged', async () => {
    await generateRealisticTree(dirs.source, { files: 300, seed: 21, extras: true });
    const first = await run();
    const native = nativeBinding();
    const nativeCalls = native === undefined ? [] : spyOnAll(native);
    recording.on = true;

    const stats = await run();

    recording.on = false;
    expect(replicaPathsTouched()).toEqual([]);
    expect(first.planner).toBe('replica');
    expect(stats.planner).toBe('index');
    expect(stats).toMatchObject({ filesCopied: 0, bytesCopied: 0, metadataUpdated: 0 });
    expect(stats.entriesScanned).toBe(first.entriesScanned);
    const targetCalls = nativeCalls.flatMap((spy) => spy.mock.calls.map((call) => String(call[0])));
    expect(targetCalls.filter((p) => p.startsWith(dirs.target))).toEqual([]);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('reads only changed replica paths', async () => {
    await generateRealisticTree(dirs.source, { files: 300, seed: 22 });
    await run();
    const report = await mutateTree(dirs.source, 6);
    recording.on = true;

    const stats = await run();

    recording.on = false;
    expect(stats.planner).toBe('index');
    expect(stats.filesCopied).toBe(report.filesWritten);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    const listedOrStated = recording.paths.filter(
      (p) => p.startsWith(`${dirs.target}/`) && !p.includes('/../'),
    );
    expect(listedOrStated.length).toBeLessThan(stats.entriesScanned / 4);
  });

  it('detects a rewrite keeping size and mtime', async () => {
    await writeTree(dirs.source, { 'a.txt': file('abcd', { mtime: 1_600_000_000 }) });
    await run();
    await writeFile(path.join(dirs.source, 'a.txt'), 'wxyz');
    await utimes(path.join(dirs.source, 'a.txt'), 1_600_000_000, 1_600_000_000);

    const stats = await run();

    expect(stats.planner).toBe('index');
    expect(stats.filesCopied).toBe(1);
    expect(await readFile(path.join(dirs.target, 'a.txt'), 'utf8')).toBe('wxyz');
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('updates metadata of unchanged content in place', async () => {
    await writeTree(dirs.source, {
      'mode.txt': file('m', { mode: 0o644 }),
      'time.txt': file('t', { mtime: 1_600_000_000 }),
      'attr.txt': file('x'),
    });
    await run();
    const inodes = await inodesOf(dirs.target, ['mode.txt', 'time.txt', 'attr.txt']);
    await chmod(path.join(dirs.source, 'mode.txt'), 0o600);
    await utimes(path.join(dirs.source, 'time.txt'), 1_600_000_001, 1_600_000_001);
    if (nativeAvailable) setUserXattr(path.join(dirs.source, 'attr.txt'), 'user.tag', 'new');

    const stats = await run();

    expect(stats.filesCopied).toBe(0);
    expect(stats.metadataUpdated).toBe(nativeAvailable ? 3 : 2);
    expect(await inodesOf(dirs.target, ['mode.txt', 'time.txt', 'attr.txt'])).toEqual(inodes);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });
});

describe('index trust', () => {
  it('compares the replica when the index is damaged', async () => {
    await generateRealisticTree(dirs.source, { files: 100, seed: 23 });
    await run();
    const indexPath = path.join(dirs.work, 'index');
    const bytes = await readFile(indexPath);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    await writeFile(indexPath, bytes);
    await mutateTree(dirs.source, 7);
    const { logger, records } = captureLogger();

    const repaired = await run({ logger });
    const next = await run();

    expect(repaired.planner).toBe('replica');
    expect(records.some((r) => String(r.reason).includes('damaged'))).toBe(true);
    expect(next.planner).toBe('index');
    expect(next.filesCopied).toBe(0);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('compares the replica after its root changed', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a'), sub: dir({ 'b.txt': file('b') }) });
    await run();
    await writeFile(path.join(dirs.target, 'stray.txt'), 'written by someone else');

    const stats = await run();

    expect(stats.planner).toBe('replica');
    expect(stats.entriesDeleted).toBe(1);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('compares a recreated replica root', async () => {
    await writeTree(dirs.source, { 'a.txt': file('a') });
    await run();
    await rm(dirs.target, { recursive: true });
    await mkdir(dirs.target);

    const stats = await run();

    expect(stats.planner).toBe('replica');
    expect(stats.filesCopied).toBe(1);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('compares the replica when asked', async () => {
    await writeTree(dirs.source, { sub: dir({ 'a.txt': file('a') }) });
    await run();
    await rm(path.join(dirs.target, 'sub', 'a.txt'));

    const trusted = await run();
    const compared = await run({ compareReplica: true });

    expect(trusted.planner).toBe('index');
    expect(trusted.filesCopied).toBe(0);
    expect(compared.planner).toBe('replica');
    expect(compared.filesCopied).toBe(1);
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
  });

  it('drops the index when a leader is missing', async () => {
    await writeTree(dirs.source, { d: dir({ 'a.txt': file('shared') }), sub: dir({}) });
    await run();
    await rm(path.join(dirs.target, 'd', 'a.txt'));
    await link(path.join(dirs.source, 'd', 'a.txt'), path.join(dirs.source, 'sub', 'new-link'));

    await expect(run()).rejects.toMatchObject({ code: 'TARGET_CHANGED' });
    expect(await readdir(dirs.work)).not.toContain('index');
    const repaired = await run();

    expect(repaired.planner).toBe('replica');
    expect(await compareTrees(dirs.source, dirs.target, TOLERANCE)).toEqual([]);
    expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
  });
});

function spyOnAll(binding: object) {
  return Object.keys(binding).map((name) =>
    vi.spyOn(binding as Record<string, (...args: unknown[]) => unknown>, name),
  );
}

async function inodesOf(root: string, names: string[]): Promise<bigint[]> {
  return Promise.all(
    names.map(async (name) => (await lstat(path.join(root, name), { bigint: true })).ino),
  );
}
