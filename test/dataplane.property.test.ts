import fc from 'fast-check';
import { link, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replicateTree } from '../src/dataplane/replicate.js';
import { compareTrees } from './support/compare-trees.js';
import { listEntries } from './support/realistic-tree.js';
import {
  createReplicationDirs,
  INDEX_FILES,
  replicaMtimeToleranceNs,
  silentLogger,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, file, symlink, writeTree, type TreeNode, type TreeSpec } from './support/tree.js';

/** A small name set, so versions share names, with NFC/NFD twins, non-UTF-8 bytes and a space. */
const NAMES = [
  Buffer.from('a'),
  Buffer.from('한'.normalize('NFC')),
  Buffer.from('한'.normalize('NFD')),
  Buffer.from([0xff, 0x01]),
  Buffer.from('x y'),
];

// Small value sets make consecutive versions often share size and mtime, so that mode-only and
// symlink-mtime-only changes come up; undefined leaves the creation time. 'a' and 'b' have the
// same size, so a rewrite that keeps size and mtime comes up too: only the index (by inode and
// ctime) can see it, since each version is written anew.
const mtime = fc.constantFrom(1_500_000_000_000_000_000n, 1_600_000_000_123_456_789n, undefined);
const mode = fc.constantFrom(0o644, 0o600, 0o755, 0o444);
const content = fc
  .constantFrom('', 'a', 'b', 'bb', 'x'.repeat(5000))
  .map((text) => Buffer.from(text));
const linkTarget = fc.constantFrom(
  Buffer.from('a'),
  Buffer.from('/etc'),
  Buffer.from([0xfe, 0x2f]),
);

const fileNode = fc
  .record({ content, mode, mtime })
  .map(({ content: bytes, mode: m, mtime: t }) => file(bytes, { mode: m, mtime: t }));
const linkNode = fc
  .record({ target: linkTarget, mtime })
  .map(({ target, mtime: t }) => symlink(target, { mtime: t }));

const { tree } = fc.letrec<{ tree: TreeSpec; node: TreeNode }>((recurse) => ({
  tree: fc
    .uniqueArray(fc.tuple(fc.nat({ max: NAMES.length - 1 }), recurse('node')), {
      maxLength: 4,
      selector: ([index]) => index,
    })
    .map((pairs) => pairs.map(([index, node]) => [NAMES[index] as Buffer, node] as const)),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fileNode, weight: 3 },
    { arbitrary: linkNode, weight: 1 },
    {
      arbitrary: fc
        .record({ children: recurse('tree'), mode: fc.constantFrom(0o755, 0o700, 0o555) })
        .map(({ children, mode: m }) => dir(children as TreeSpec, { mode: m })),
      weight: 1,
    },
  ),
}));

/** Hard links to add at the root after writing a tree: which regular file (by walk order), named h<i>. */
const hardLinks = fc.array(fc.nat({ max: 20 }), { maxLength: 2 });

/** Creates the hard links chosen by `picks` to the regular files below `root`. */
async function addHardLinks(root: string, picks: readonly number[]): Promise<void> {
  const files = (await listEntries(Buffer.from(root))).filter((e) => e.kind === 'file');
  for (const [i, pick] of picks.entries()) {
    const target = files[pick % Math.max(1, files.length)];
    if (target === undefined) return;
    await link(Buffer.concat([Buffer.from(`${root}/`), target.rel]), path.join(root, `h${i}`));
  }
}

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-property-');
});
afterEach(async () => {
  await dirs.cleanup();
});

describe('replicateTree property', () => {
  it('converges on each tree of any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(tree, hardLinks), { minLength: 1, maxLength: 3 }),
        async (versions) => {
          await rm(dirs.target, { recursive: true, force: true });
          await writeTree(dirs.target, {});
          for (const [version, links] of versions) {
            await rm(dirs.source, { recursive: true, force: true });
            await writeTree(dirs.source, version);
            await addHardLinks(dirs.source, links);
            await replicateTree({
              sourceDir: dirs.source,
              targetDir: dirs.target,
              workDir: dirs.work,
              logger: silentLogger(),
              fsync: false,
            });
            const differences = await compareTrees(dirs.source, dirs.target, {
              mtimeToleranceNs: replicaMtimeToleranceNs(),
              compareRootMetadata: true,
            });
            expect(differences).toEqual([]);
            expect(await readdir(dirs.work)).toEqual(INDEX_FILES);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
