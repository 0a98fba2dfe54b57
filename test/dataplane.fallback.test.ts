import { randomBytes } from 'node:crypto';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeBinding } from '../src/dataplane/native.js';
import { replicateTree, type ReplicateTreeOptions } from '../src/dataplane/replicate.js';
import { compareTrees } from './support/compare-trees.js';
import {
  captureLogger,
  createReplicationDirs,
  replicaMtimeToleranceNs,
  type ReplicationDirs,
} from './support/replication-dirs.js';
import { dir, file, hardlink, sparseFile, symlink, writeTree } from './support/tree.js';

// This file runs in its own process (vitest's forks pool isolates test files), so switching the
// addon off here affects no other test. The addon loads on first use, after this line.
process.env.SCPFS_NATIVE = 'off';

const MIB = 1024 * 1024;
const FALLBACK_WARNING = 'Native addon not loaded';

let dirs: ReplicationDirs;
beforeEach(async () => {
  dirs = await createReplicationDirs('scpfs-fallback-');
});
afterEach(async () => {
  await dirs.cleanup();
});

describe('replication without the native addon', () => {
  it('replicates with microsecond times and warns once', async () => {
    const owner = process.getuid?.() === 0 ? { uid: 1234, gid: 4321 } : undefined;
    await writeTree(dirs.source, {
      'disk.img': sparseFile(24 * MIB, [
        [0, randomBytes(5000)],
        [17 * MIB, randomBytes(3 * MIB)],
      ]),
      'a.txt': file('a', { owner }),
      links: dir({ 'b.txt': hardlink('a.txt') }),
      ln: symlink('a.txt'),
    });
    const { logger, records } = captureLogger();
    const options: ReplicateTreeOptions = {
      sourceDir: dirs.source,
      targetDir: dirs.target,
      workDir: dirs.work,
      logger,
    };

    const first = await replicateTree(options);
    const patch = await open(path.join(dirs.source, 'disk.img'), 'r+');
    await patch.write(randomBytes(100), 0, 100, 18 * MIB);
    await patch.close();
    const second = await replicateTree(options);

    expect(nativeBinding()).toBeUndefined();
    expect(replicaMtimeToleranceNs()).toBe(1000n);
    expect(records.filter((r) => String(r.msg).startsWith(FALLBACK_WARNING))).toHaveLength(1);
    expect(first.hardLinksCreated).toBe(1);
    expect(second.planner).toBe('index');
    expect(second.filesPatched).toBe(0);
    expect(second.filesCopied).toBe(1);
    expect((await lstat(path.join(dirs.target, 'disk.img'))).blocks * 512).toBeLessThan(4 * MIB);
    const tolerance = { mtimeToleranceNs: replicaMtimeToleranceNs(), compareXattrs: false };
    expect(await compareTrees(dirs.source, dirs.target, tolerance)).toEqual([]);
  });
});
