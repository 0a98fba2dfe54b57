import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryFromStats, type Entry } from '../src/dataplane/entry.js';
import { TransferError } from '../src/dataplane/errors.js';
import { readJournal, writeJournal, type JournalOp } from '../src/dataplane/journal.js';
import { mtimesMatch, toUtimesSeconds } from '../src/dataplane/mtime.js';
import { nativeBinding } from '../src/dataplane/native.js';
import { planReplication } from '../src/dataplane/plan-walk.js';
import { readEntries } from '../src/dataplane/read-entries.js';
import type { RecordLog } from '../src/dataplane/record-log.js';
import { ReplicaTreeView } from '../src/dataplane/replica-view.js';
import { runPool } from '../src/dataplane/pool.js';
import { childRel, displayPath, fsPath, parentRel, relDepth } from '../src/dataplane/rel-path.js';
import { removeTree } from '../src/dataplane/remove-tree.js';
import { workDirLayout } from '../src/dataplane/workdir.js';
import { createReplicationDirs, type ReplicationDirs } from './support/replication-dirs.js';
import { listEntries, generateRealisticTree } from './support/realistic-tree.js';
import { dir, fifo, file, symlink as symlinkNode, writeTree } from './support/tree.js';

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-units-');
});
afterEach(async () => {
  await dirs.cleanup();
});

describe('toUtimesSeconds', () => {
  const cases = [
    0n,
    1n,
    499n,
    500n,
    999_999_999n,
    1_700_000_000_123_456_789n,
    1_700_000_000_999_999_999n,
    1_700_000_000_000_000_999n,
    4_102_444_800_999_999_500n,
    -1n,
    -1_000n,
    -500_000_000n,
    -1_500_000_001n,
  ];

  it.each(cases)('sets %s ns within 500 ns', async (ns) => {
    const filePath = path.join(dirs.base, 'f');
    await writeFile(filePath, '');
    const value = toUtimesSeconds(ns);

    await utimes(filePath, value, value);

    const actual = (await lstat(filePath, { bigint: true })).mtimeNs;
    const error = actual > ns ? actual - ns : ns - actual;
    expect(error <= 500n, `set ${actual} for ${ns}`).toBe(true);
    expect(actual % 1000n).toBe(0n);
  });

  it('treats differences under a microsecond as equal', () => {
    expect(mtimesMatch(1_000_000n, 1_000_999n)).toBe(true);
    expect(mtimesMatch(1_000_999n, 1_000_000n)).toBe(true);
    expect(mtimesMatch(1_000_000n, 1_001_000n)).toBe(false);
  });
});

describe('relative paths', () => {
  it('keeps raw bytes through a round trip', () => {
    const rel = childRel(childRel('', Buffer.from([0xff, 0x2e])), Buffer.from('한'));

    expect(fsPath(Buffer.from('/root'), rel)).toEqual(
      Buffer.concat([Buffer.from('/root/'), Buffer.from([0xff, 0x2e]), Buffer.from('/한')]),
    );
    expect(relDepth(rel)).toBe(2);
    expect(relDepth('')).toBe(0);
    expect(parentRel(rel)).toBe(Buffer.from([0xff, 0x2e]).toString('latin1'));
    expect(parentRel('top')).toBe('');
  });

  it('displays invalid UTF-8 as escapes', () => {
    expect(displayPath(Buffer.from([0x61, 0xff]).toString('latin1'))).toBe('a\\xff');
    expect(displayPath(Buffer.from('한글/b').toString('latin1'))).toBe('한글/b');
  });
});

describe('journal', () => {
  const ops: JournalOp[] = [
    { op: 'unlock', path: '', mode: 0o555 },
    { op: 'trash', path: Buffer.from([0xff, 0x0a]).toString('latin1'), slot: '0' },
    { op: 'place', staged: 'f00000001', path: Buffer.from('한/"q"').toString('latin1') },
    {
      op: 'meta',
      kind: 'dir',
      path: '',
      mode: 0o755,
      atimeNs: '-5',
      mtimeNs: '1700000000123456789',
    },
  ];

  it('reads back exactly what was written', async () => {
    const layout = workDirLayout(dirs.work);
    await mkdir(dirs.work);

    await writeJournal(layout, [ops.slice(0, 2), ops.slice(2)]);

    expect(await readJournal(layout)).toEqual(ops);
    expect(await readdir(dirs.work)).toEqual(['journal']);
  });

  it('rejects a journal whose op count does not match', async () => {
    const layout = workDirLayout(dirs.work);
    await mkdir(dirs.work);
    await writeJournal(layout, [ops]);
    const text = await readFile(layout.journal, 'utf8');
    await writeFile(layout.journal, text.split('\n').slice(0, 3).join('\n'));

    await expect(readJournal(layout)).rejects.toMatchObject({ code: 'JOURNAL_INVALID' });
  });
});

/** Plans the replication of dirs.source onto dirs.target by comparing both trees. */
async function planAgainstReplica() {
  await mkdir(dirs.work);
  return planReplication({
    sourceRoot: Buffer.from(dirs.source),
    layout: workDirLayout(dirs.work),
    view: new ReplicaTreeView(Buffer.from(dirs.target)),
    signal: undefined,
  });
}

async function collect<T>(log: RecordLog<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of log.read()) out.push(record);
  return out;
}

describe('planReplication', () => {
  it('plans copies, metadata updates and topmost deletions', async () => {
    await writeTree(dirs.source, {
      same: file('s', { mtime: 1_500_000_000 }),
      chmodded: file('c', { mode: 0o600, mtime: 1_500_000_000 }),
      changed: file('new!', { mtime: 1_500_000_001 }),
      fresh: dir({ inner: dir({ 'x.txt': file('x') }), link: symlinkNode('x') }),
    });
    await writeTree(dirs.target, {
      same: file('s', { mtime: 1_500_000_000 }),
      chmodded: file('c', { mode: 0o644, mtime: 1_500_000_000 }),
      changed: file('old!', { mtime: 1_500_000_000 }),
      stale: dir({ deep: dir({ 'y.txt': file('y') }) }),
    });

    const plan = await planAgainstReplica();

    const tasks = await collect(plan.tasks);
    expect(tasks.map((t) => t.rel).sort()).toEqual(['changed', 'fresh/inner/x.txt']);
    expect(tasks.map((t) => t.place)).toEqual([true, false]);
    expect((await collect(plan.symlinks)).map((l) => l.rel)).toEqual(['fresh/link']);
    expect((await collect(plan.entryMeta)).map((m) => m.op === 'meta' && m.path)).toEqual([
      'chmodded',
    ]);
    expect((await collect(plan.trash)).map((t) => t.op === 'trash' && t.path)).toEqual(['stale']);
    expect((await collect(plan.stagedDirs)).map((d) => [d.rel, d.isTreeRoot])).toEqual([
      ['fresh', true],
      ['fresh/inner', false],
    ]);
    expect((await collect(plan.places)).map((p) => p.op === 'place' && p.path)).toEqual(['fresh']);
    expect(plan.counters.entriesScanned).toBe(7);
    expect(plan.planner).toBe('replica');
  });

  it('plans directory metadata children first', async () => {
    const newer = { mtime: 1_600_000_000 };
    await writeTree(dirs.source, {
      a: dir({ b: dir({ c: dir({}) }, newer) }, newer),
      z: dir({}),
    });
    await writeTree(dirs.target, { a: dir({ b: dir({}) }, { mtime: 1_500_000_000 }) });

    const plan = await planAgainstReplica();

    const order = (await collect(plan.dirMeta)).map((op) => op.op === 'meta' && op.path);
    expect(order).toEqual(['a/b/c', 'a/b', 'a', 'z', '']);
  });

  it('reports an unreadable source root', async () => {
    await mkdir(dirs.work);
    const failed = planReplication({
      sourceRoot: Buffer.from(path.join(dirs.base, 'missing')),
      layout: workDirLayout(dirs.work),
      view: new ReplicaTreeView(Buffer.from(dirs.target)),
      signal: undefined,
    });

    await expect(failed).rejects.toBeInstanceOf(TransferError);
    await expect(failed).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
  });
});

describe.skipIf(nativeBinding() === undefined)('native directory scan', () => {
  it('matches lstat and readlink', async () => {
    await generateRealisticTree(dirs.source, { files: 150, seed: 31, extras: true });
    await writeTree(dirs.source, [
      ['pipe', fifo()],
      ['long-link', symlinkNode('t'.repeat(4000))],
      [Buffer.from([0xff, 0x80]), file('raw name')],
    ]);
    const walked = await listEntries(Buffer.from(dirs.source));
    const directories = [
      '',
      ...walked.filter((e) => e.kind === 'dir').map((e) => e.rel.toString('latin1')),
    ];

    for (const rel of directories) {
      const listing = await readEntries(Buffer.from(dirs.source), rel, 'source');
      const expected = await expectedListing(rel);
      expect([...listing.keys()], displayPath(rel)).toEqual([...expected.keys()]);
      expect(withoutAtimes(listing), displayPath(rel)).toEqual(withoutAtimes(expected));
    }
  });

  it('reports a removed directory as a source change', async () => {
    await expect(readEntries(Buffer.from(dirs.source), 'missing', 'source')).rejects.toMatchObject({
      code: 'SOURCE_CHANGED',
    });
  });
});

/** Drops access times, which reading a file or listing a directory may move (relatime). */
function withoutAtimes(listing: Map<string, Entry>): Map<string, Entry> {
  return new Map([...listing].map(([name, entry]) => [name, { ...entry, atimeNs: 0n }]));
}

/** Lists a source directory with lstat and readlink, the way the engine works without the addon. */
async function expectedListing(rel: string): Promise<Map<string, Entry>> {
  const dirPath = fsPath(Buffer.from(dirs.source), rel);
  const names = (await readdir(dirPath, { encoding: 'buffer' })).sort(Buffer.compare);
  const listing = new Map<string, Entry>();
  for (const name of names) {
    const childPath = Buffer.concat([dirPath, Buffer.from('/'), name]);
    const entry = entryFromStats(await lstat(childPath, { bigint: true }));
    if (entry.kind === 'symlink')
      entry.linkTarget = await readlink(childPath, { encoding: 'buffer' });
    listing.set(name.toString('latin1'), entry);
  }
  return listing;
}

describe('runPool', () => {
  it('stops starting work after the first failure', async () => {
    const started: number[] = [];

    const failed = runPool([1, 2, 3, 4, 5, 6, 7, 8], 2, undefined, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      await new Promise((resolve) => setTimeout(resolve, 5));
    });

    await expect(failed).rejects.toThrow('boom');
    expect(started.length).toBeLessThan(5);
  });

  it('throws ABORTED once the signal fires', async () => {
    const controller = new AbortController();
    let done = 0;

    const aborted = runPool([1, 2, 3, 4], 1, controller.signal, async () => {
      if (++done === 2) controller.abort();
    });

    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    expect(done).toBe(2);
  });
});

describe('removeTree', () => {
  it('removes read-only trees without following symlinks', async () => {
    await writeTree(dirs.outside, { 'keep.txt': file('keep') });
    await writeTree(dirs.target, {
      doomed: dir(
        { ro: dir({ 'a.txt': file('a') }, { mode: 0o500 }), out: symlinkNode(dirs.outside) },
        { mode: 0o555 },
      ),
    });
    await symlink(path.join(dirs.outside, 'keep.txt'), path.join(dirs.target, 'doomed-link'));

    await removeTree(Buffer.from(path.join(dirs.target, 'doomed')));
    await removeTree(Buffer.from(path.join(dirs.target, 'doomed-link')));
    await removeTree(Buffer.from(path.join(dirs.target, 'never-existed')));

    expect(await readdir(dirs.target)).toEqual([]);
    expect(await readFile(path.join(dirs.outside, 'keep.txt'), 'utf8')).toBe('keep');
  });
});
