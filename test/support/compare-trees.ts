// Compares two directory trees byte for byte, independently of the replication engine's code.
import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { readUserXattrs, nativeAvailable } from './native.js';

export interface CompareOptions {
  /** Maximum mtime difference, inclusive, that still counts as equal. Defaults to 0 (exact). */
  mtimeToleranceNs?: bigint | number;
  /** Also compare the roots' own mode and mtime. Defaults to false. */
  compareRootMetadata?: boolean;
  /** Compare symlink mtimes. Defaults to true. */
  compareSymlinkMtimes?: boolean;
  /** Leaves out entries (and their subtrees) for which this returns true; gets raw relative bytes. */
  ignore?: (relPath: Buffer) => boolean;
  /** Compare uid and gid. Defaults to true when running as root, the only user who can chown. */
  compareOwnership?: boolean;
  /**
   * Compare user.* extended attributes of files and directories. Defaults to true; without the
   * native addon built they cannot be read and are not compared.
   */
  compareXattrs?: boolean;
  /** Compare which files of a tree are hard links of each other. Defaults to true. */
  compareHardLinks?: boolean;
  /**
   * Maximum difference in allocated bytes (st_blocks * 512) between two equal files, so that a
   * sparse file copied densely counts as different. Defaults to 64 KiB, which covers the extent
   * tree blocks that ext4 counts in st_blocks; false skips the check.
   */
  allocationToleranceBytes?: number | false;
}

export type DifferenceKind =
  | 'only-in-a'
  | 'only-in-b'
  | 'type'
  | 'content'
  | 'mode'
  | 'mtime'
  | 'symlink-target'
  | 'owner'
  | 'xattr'
  | 'hard-link'
  | 'allocation';

export interface TreeDifference {
  /** Relative path, UTF-8 where valid, other bytes as \\xNN. */
  path: string;
  kind: DifferenceKind;
  /** "path: what differs (a vs b)". */
  message: string;
}

interface Side {
  path: Buffer;
  stats: BigIntStats;
}

/** Files met in both trees, with their inodes on each side, for the hard link comparison. */
type FilePairs = Array<{ rel: Buffer; inoA: bigint; inoB: bigint }>;

/**
 * Lists every difference between trees `a` and `b`: entries by raw name bytes, type, file content
 * (SHA-256), allocated size (holes), permission bits, owners, mtimes, user.* attributes, symlink
 * target bytes and hard link groups. Symlinks are never followed. An empty list means the trees
 * are identical in these respects.
 */
export async function compareTrees(
  a: string | Buffer,
  b: string | Buffer,
  options: CompareOptions = {},
): Promise<TreeDifference[]> {
  const differences: TreeDifference[] = [];
  const rootA = toBuffer(a);
  const rootB = toBuffer(b);
  const root = {
    a: { path: rootA, stats: await lstat(rootA, { bigint: true }) },
    b: { path: rootB, stats: await lstat(rootB, { bigint: true }) },
  };
  if (options.compareRootMetadata)
    compareMetadata(Buffer.alloc(0), root.a, root.b, options, differences);
  const files: FilePairs = [];
  await compareDirectories(Buffer.alloc(0), rootA, rootB, options, differences, files);
  if (options.compareHardLinks !== false) compareHardLinkGroups(files, differences);
  return differences;
}

/** Formats differences one per line, for assertion messages. */
export function formatDifferences(differences: readonly TreeDifference[]): string {
  return differences.map((d) => d.message).join('\n');
}

async function compareDirectories(
  rel: Buffer,
  dirA: Buffer,
  dirB: Buffer,
  options: CompareOptions,
  out: TreeDifference[],
  files: FilePairs,
): Promise<void> {
  const namesA = await readNames(dirA);
  const namesB = await readNames(dirB);
  const all = new Map<string, Buffer>();
  for (const name of [...namesA.values(), ...namesB.values()])
    all.set(name.toString('latin1'), name);
  const sorted = [...all.values()].sort(Buffer.compare);
  for (const name of sorted) {
    const key = name.toString('latin1');
    const childRel = rel.length === 0 ? name : Buffer.concat([rel, Buffer.from('/'), name]);
    if (options.ignore?.(childRel)) continue;
    if (!namesA.has(key)) out.push(difference(childRel, 'only-in-b', 'only in b'));
    else if (!namesB.has(key)) out.push(difference(childRel, 'only-in-a', 'only in a'));
    else await compareEntries(childRel, join(dirA, name), join(dirB, name), options, out, files);
  }
}

async function compareEntries(
  rel: Buffer,
  pathA: Buffer,
  pathB: Buffer,
  options: CompareOptions,
  out: TreeDifference[],
  files: FilePairs,
): Promise<void> {
  const a: Side = { path: pathA, stats: await lstat(pathA, { bigint: true }) };
  const b: Side = { path: pathB, stats: await lstat(pathB, { bigint: true }) };
  const typeA = typeName(a.stats);
  const typeB = typeName(b.stats);
  if (typeA !== typeB) {
    out.push(difference(rel, 'type', `type ${typeA} vs ${typeB}`));
    return;
  }
  compareMetadata(rel, a, b, options, out);
  if (typeA === 'file') {
    await compareContent(rel, a, b, out);
    compareAllocation(rel, a, b, options, out);
    files.push({ rel, inoA: a.stats.ino, inoB: b.stats.ino });
  }
  if (typeA === 'symlink') await compareLinkTargets(rel, a, b, out);
  if (typeA === 'dir') await compareDirectories(rel, pathA, pathB, options, out, files);
}

function compareMetadata(
  rel: Buffer,
  a: Side,
  b: Side,
  options: CompareOptions,
  out: TreeDifference[],
): void {
  const isSymlink = a.stats.isSymbolicLink();
  const modeA = a.stats.mode & 0o7777n;
  const modeB = b.stats.mode & 0o7777n;
  if (!isSymlink && modeA !== modeB) {
    out.push(difference(rel, 'mode', `mode ${octal(modeA)} vs ${octal(modeB)}`));
  }
  compareOwners(rel, a, b, options, out);
  if (!isSymlink) compareXattrs(rel, a, b, options, out);
  if (isSymlink && options.compareSymlinkMtimes === false) return;
  const tolerance = BigInt(options.mtimeToleranceNs ?? 0n);
  const delta = a.stats.mtimeNs - b.stats.mtimeNs;
  if (delta > tolerance || -delta > tolerance) {
    const detail = `mtime ${nsText(a.stats.mtimeNs)} vs ${nsText(b.stats.mtimeNs)} (${delta} ns apart)`;
    out.push(difference(rel, 'mtime', detail));
  }
}

function compareOwners(
  rel: Buffer,
  a: Side,
  b: Side,
  options: CompareOptions,
  out: TreeDifference[],
): void {
  if (!(options.compareOwnership ?? process.getuid?.() === 0)) return;
  const { uid: uidA, gid: gidA } = a.stats;
  const { uid: uidB, gid: gidB } = b.stats;
  if (uidA !== uidB || gidA !== gidB) {
    out.push(difference(rel, 'owner', `owner ${uidA}:${gidA} vs ${uidB}:${gidB}`));
  }
}

function compareXattrs(
  rel: Buffer,
  a: Side,
  b: Side,
  options: CompareOptions,
  out: TreeDifference[],
): void {
  if (options.compareXattrs === false || !nativeAvailable) return;
  const textA = xattrText(readUserXattrs(a.path));
  const textB = xattrText(readUserXattrs(b.path));
  if (textA !== textB) out.push(difference(rel, 'xattr', `xattrs {${textA}} vs {${textB}}`));
}

function xattrText(attributes: Map<string, Buffer>): string {
  return [...attributes].map(([name, value]) => `${name}=${value.toString('hex')}`).join(', ');
}

/** Reports a file whose allocated size differs by more than the tolerance: a hole got filled. */
function compareAllocation(
  rel: Buffer,
  a: Side,
  b: Side,
  options: CompareOptions,
  out: TreeDifference[],
): void {
  const tolerance = options.allocationToleranceBytes ?? 64 * 1024;
  if (tolerance === false) return;
  const bytesA = a.stats.blocks * 512n;
  const bytesB = b.stats.blocks * 512n;
  const delta = bytesA > bytesB ? bytesA - bytesB : bytesB - bytesA;
  if (delta > BigInt(tolerance)) {
    out.push(difference(rel, 'allocation', `allocated ${bytesA} vs ${bytesB} bytes`));
  }
}

/**
 * Reports files whose hard link group differs: each file is named by the first path (in walk
 * order) of its inode in its own tree, and both trees must name it alike.
 */
function compareHardLinkGroups(files: FilePairs, out: TreeDifference[]): void {
  const firstA = new Map<bigint, Buffer>();
  const firstB = new Map<bigint, Buffer>();
  for (const file of files) {
    if (!firstA.has(file.inoA)) firstA.set(file.inoA, file.rel);
    if (!firstB.has(file.inoB)) firstB.set(file.inoB, file.rel);
  }
  for (const file of files) {
    const groupA = firstA.get(file.inoA) as Buffer;
    const groupB = firstB.get(file.inoB) as Buffer;
    if (groupA.equals(groupB)) continue;
    const detail = `hard link of '${display(groupA)}' vs of '${display(groupB)}'`;
    out.push(difference(file.rel, 'hard-link', detail));
  }
}

async function compareContent(rel: Buffer, a: Side, b: Side, out: TreeDifference[]): Promise<void> {
  if (a.stats.size !== b.stats.size) {
    out.push(difference(rel, 'content', `size ${a.stats.size} vs ${b.stats.size} bytes`));
    return;
  }
  const [hashA, hashB] = await Promise.all([sha256(a.path), sha256(b.path)]);
  if (hashA !== hashB) {
    out.push(
      difference(rel, 'content', `content sha256 ${hashA.slice(0, 12)} vs ${hashB.slice(0, 12)}`),
    );
  }
}

async function compareLinkTargets(
  rel: Buffer,
  a: Side,
  b: Side,
  out: TreeDifference[],
): Promise<void> {
  const targetA = await readlink(a.path, { encoding: 'buffer' });
  const targetB = await readlink(b.path, { encoding: 'buffer' });
  if (!targetA.equals(targetB)) {
    const detail = `symlink target '${display(targetA)}' vs '${display(targetB)}'`;
    out.push(difference(rel, 'symlink-target', detail));
  }
}

async function readNames(dir: Buffer): Promise<Map<string, Buffer>> {
  const names = await readdir(dir, { encoding: 'buffer' });
  return new Map(names.map((name) => [name.toString('latin1'), name]));
}

function sha256(path: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function typeName(stats: BigIntStats): string {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  return 'device';
}

function difference(rel: Buffer, kind: DifferenceKind, detail: string): TreeDifference {
  const path = rel.length === 0 ? '.' : display(rel);
  return { path, kind, message: `${path}: ${detail}` };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Renders bytes as UTF-8 when valid, otherwise with bytes of 0x80 and above as \\xNN. */
export function display(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes
      .toString('latin1')
      .replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  }
}

function octal(mode: bigint): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function nsText(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns < 0n ? -ns : ns) % 1_000_000_000n;
  return `${seconds}.${fraction.toString().padStart(9, '0')}`;
}

function toBuffer(path: string | Buffer): Buffer {
  return typeof path === 'string' ? Buffer.from(path) : path;
}

function join(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, Buffer.from('/'), name]);
}
