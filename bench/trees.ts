// Generates and changes the benchmark trees. Content comes from one seeded random pool, so trees
// are reproducible for a seed, quick to write, and incompressible.
import { execFile } from 'node:child_process';
import { link, mkdir, open, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { SeededRandom } from '../test/support/random.js';

const run = promisify(execFile);

const MIB = 1024 * 1024;
const POOL_BYTES = 16 * MIB;
const CHUNK_BYTES = MIB;
/** Files written at once; enough to keep the libuv pool busy without exhausting descriptors. */
const WRITE_CONCURRENCY = 64;
const XATTR_BATCH = 200;

/** Picks a file size in bytes for file number `index`. */
export type SizeDistribution = (random: SeededRandom, index: number) => number;

export interface TreeSpec {
  files: number;
  /** Regular files per leaf directory. */
  filesPerDir: number;
  /** Subdirectories per directory above the leaves. */
  fanout: number;
  size: SizeDistribution;
  symlinks?: number;
  /** Extra names (hard links) for existing files. */
  hardLinks?: number;
  /** Files that get a user extended attribute (set with python3's os.setxattr). */
  xattrFiles?: number;
  emptyDirs?: number;
  seed: number;
}

export interface TreeSummary {
  files: number;
  directories: number;
  bytes: number;
  /** Relative paths of the regular files, in creation order. */
  filePaths: string[];
}

/** Seeded random bytes that file contents are sliced from. */
export class ContentPool {
  readonly #pool: Buffer;
  readonly #random: SeededRandom;

  constructor(seed: number) {
    this.#random = new SeededRandom(seed);
    this.#pool = this.#random.bytes(POOL_BYTES);
  }

  /** Returns a slice of `size` bytes (at most the pool size) at a random offset. */
  slice(size: number): Buffer {
    const offset = this.#random.int(0, POOL_BYTES - size);
    return this.#pool.subarray(offset, offset + size);
  }

  /** Writes `size` bytes to `file`, chunk by chunk for files larger than the pool. */
  async writeFile(file: string, size: number): Promise<void> {
    if (size <= CHUNK_BYTES) return writeFile(file, this.slice(size));
    const handle = await open(file, 'w');
    try {
      for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
        await handle.write(this.slice(Math.min(CHUNK_BYTES, size - offset)), 0, undefined, offset);
      }
    } finally {
      await handle.close();
    }
  }
}

/** Relative directory of leaf number `leaf`, nested `depth` levels deep. */
function leafDir(leaf: number, fanout: number, depth: number): string {
  const parts: string[] = [];
  let rest = leaf;
  for (let level = 0; level < depth; level++) {
    parts.unshift(`d${rest % fanout}`);
    rest = Math.floor(rest / fanout);
  }
  return parts.join('/');
}

function leafDepth(leaves: number, fanout: number): number {
  let depth = 1;
  while (fanout ** depth < leaves) depth++;
  return depth;
}

/** Runs `work` on every item with at most `limit` calls in flight. */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Creates the tree under `root`, which must not exist yet. */
export async function generateTree(root: string, spec: TreeSpec): Promise<TreeSummary> {
  const random = new SeededRandom(spec.seed);
  const pool = new ContentPool(spec.seed + 1);
  const leaves = Math.ceil(spec.files / spec.filesPerDir);
  const depth = leafDepth(leaves, spec.fanout);
  const dirs = Array.from({ length: leaves }, (_, leaf) => leafDir(leaf, spec.fanout, depth));
  await mkdir(root, { recursive: true });
  for (const dir of dirs) await mkdir(path.join(root, dir), { recursive: true });

  const sizes = Array.from({ length: spec.files }, (_, i) => spec.size(random, i));
  const filePaths = sizes.map((_, i) => `${dirs[Math.floor(i / spec.filesPerDir)]}/f${i}.dat`);
  const indexes = filePaths.map((_, i) => i);
  await runLimited(indexes, WRITE_CONCURRENCY, (i) =>
    pool.writeFile(path.join(root, filePaths[i]!), sizes[i]!),
  );
  await addExtras(root, spec, random, filePaths);
  return {
    files: spec.files,
    directories: new Set(dirs.flatMap((dir) => ancestors(dir))).size + (spec.emptyDirs ?? 0),
    bytes: sizes.reduce((sum, size) => sum + size, 0),
    filePaths,
  };
}

function ancestors(dir: string): string[] {
  const parts = dir.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

async function addExtras(
  root: string,
  spec: TreeSpec,
  random: SeededRandom,
  filePaths: readonly string[],
): Promise<void> {
  await mkdir(path.join(root, 'extras'));
  for (let i = 0; i < (spec.symlinks ?? 0); i++) {
    const target = `../${random.pick(filePaths)}`;
    await symlink(target, path.join(root, 'extras', `link${i}`));
  }
  for (let i = 0; i < (spec.hardLinks ?? 0); i++) {
    await link(path.join(root, random.pick(filePaths)), path.join(root, 'extras', `hard${i}`));
  }
  for (let i = 0; i < (spec.emptyDirs ?? 0); i++) {
    await mkdir(path.join(root, 'extras', `empty${i}`));
  }
  const xattrTargets = random.shuffle(filePaths).slice(0, spec.xattrFiles ?? 0);
  await setUserXattrs(xattrTargets.map((rel) => path.join(root, rel)));
}

/** Node has no xattr API, so python3's os.setxattr sets `user.bench` on the files. */
async function setUserXattrs(files: readonly string[]): Promise<void> {
  const script = "import os,sys\nfor p in sys.argv[1:]: os.setxattr(p, 'user.bench', b'scpfs')";
  for (let start = 0; start < files.length; start += XATTR_BATCH) {
    await run('python3', ['-c', script, ...files.slice(start, start + XATTR_BATCH)]);
  }
}

/**
 * Rewrites `count` of the tree's files with new content: four in five grow by up to 4 KiB, the
 * rest keep their size. Every rewritten file gets an mtime one hour in the future, so that a
 * same-size rewrite within the mtime granularity cannot go unnoticed.
 */
export async function rewriteFiles(
  root: string,
  filePaths: readonly string[],
  count: number,
  seed: number,
): Promise<void> {
  const random = new SeededRandom(seed);
  const pool = new ContentPool(seed + 1);
  const chosen = random.shuffle(filePaths).slice(0, count);
  const mtime = Date.now() / 1000 + 3600;
  await runLimited(chosen, WRITE_CONCURRENCY, async (rel) => {
    const file = path.join(root, rel);
    const { size } = await stat(file);
    const newSize = random.next() < 0.8 ? size + random.int(1, 4096) : size;
    await pool.writeFile(file, newSize);
    await utimes(file, mtime, mtime);
  });
}

/** Overwrites `length` bytes at `offset` of an existing file in place. */
export async function overwriteRange(
  file: string,
  offset: number,
  length: number,
  seed: number,
): Promise<void> {
  const content = new SeededRandom(seed).bytes(length);
  const handle = await open(file, 'r+');
  try {
    await handle.write(content, 0, length, offset);
  } finally {
    await handle.close();
  }
}
