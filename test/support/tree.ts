// Declarative builder for test directory trees, with raw byte names, modes and mtimes.
import { execFileSync } from 'node:child_process';
import {
  chmod,
  lchown,
  link,
  lutimes,
  mkdir,
  open,
  symlink as createSymlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { setUserXattr } from './native.js';

/** A time to give an entry: a Date, seconds since the epoch, or nanoseconds as a bigint. */
export type TreeTime = Date | number | bigint;

/** Metadata any node but a FIFO or hard link may set, besides its mode and mtime. */
interface NodeExtras {
  /** user.* attributes (files and directories); needs the native addon. */
  xattrs?: Record<string, string | Buffer>;
  /** Owner and group, set with lchown (needs root). */
  owner?: { uid: number; gid: number };
}

export interface FileNode extends NodeExtras {
  type: 'file';
  content: Buffer;
  mode: number;
  mtime?: TreeTime;
}

/** A file of `size` bytes that holds `data` at the given offsets and holes everywhere else. */
export interface SparseNode extends NodeExtras {
  type: 'sparse';
  size: number;
  data: Array<[offset: number, bytes: Buffer]>;
  mode: number;
  mtime?: TreeTime;
}

export interface DirNode extends NodeExtras {
  type: 'dir';
  children: TreeSpec;
  mode: number;
  mtime?: TreeTime;
}

export interface SymlinkNode extends NodeExtras {
  type: 'symlink';
  target: Buffer;
  mtime?: TreeTime;
}

export interface FifoNode {
  type: 'fifo';
}

/** Another name for a file written earlier in the same writeTree call (path from its root). */
export interface HardLinkNode {
  type: 'hardlink';
  target: string;
}

export type TreeNode = FileNode | SparseNode | DirNode | SymlinkNode | FifoNode | HardLinkNode;

/**
 * Directory contents: an object keyed by UTF-8 name, or pairs (an array or a Map) whose names may
 * be Buffers, for names that are not valid UTF-8.
 */
export type TreeSpec = Record<string, TreeNode> | Iterable<readonly [string | Buffer, TreeNode]>;

export interface EntryOptions extends NodeExtras {
  /** Permission bits; files default to 0o644 and directories to 0o755. */
  mode?: number;
  /** Without it the entry keeps the time of its creation. */
  mtime?: TreeTime;
}

export function file(content: string | Buffer, options: EntryOptions = {}): FileNode {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return { ...options, type: 'file', content: bytes, mode: options.mode ?? 0o644 };
}

export function sparseFile(
  size: number,
  data: Array<[number, Buffer]>,
  options: EntryOptions = {},
): SparseNode {
  return { ...options, type: 'sparse', size, data, mode: options.mode ?? 0o644 };
}

export function dir(children: TreeSpec = {}, options: EntryOptions = {}): DirNode {
  return { ...options, type: 'dir', children, mode: options.mode ?? 0o755 };
}

export function symlink(
  target: string | Buffer,
  options: Omit<EntryOptions, 'mode' | 'xattrs'> = {},
): SymlinkNode {
  const bytes = typeof target === 'string' ? Buffer.from(target) : target;
  return { ...options, type: 'symlink', target: bytes };
}

/** Describes a hard link to `target`, a path relative to the root given to writeTree. */
export function hardlink(target: string): HardLinkNode {
  return { type: 'hardlink', target };
}

/** Describes a FIFO (named pipe); writeTree creates it with the mkfifo command. */
export function fifo(): FifoNode {
  return { type: 'fifo' };
}

/**
 * Creates `spec` under `root`, creating `root` when missing but leaving its own mode and mtime
 * alone. Directory modes and mtimes are set after their contents, so read-only directories and
 * exact directory mtimes come out as specified.
 */
export async function writeTree(root: string | Buffer, spec: TreeSpec): Promise<void> {
  const rootPath = typeof root === 'string' ? Buffer.from(root) : root;
  await mkdir(rootPath, { recursive: true });
  await writeChildren(rootPath, spec, rootPath);
}

/** Returns the entries of a spec as [raw name, node] pairs. */
export function specEntries(spec: TreeSpec): Array<[Buffer, TreeNode]> {
  const pairs: Iterable<readonly [string | Buffer, TreeNode]> =
    Symbol.iterator in spec
      ? (spec as Iterable<readonly [string | Buffer, TreeNode]>)
      : Object.entries(spec);
  return [...pairs].map(([name, node]) => [
    typeof name === 'string' ? Buffer.from(name) : name,
    node,
  ]);
}

/** Joins a directory path and a raw name. */
export function joinBytes(dirPath: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dirPath, Buffer.from('/'), name]);
}

/**
 * Converts a TreeTime to the seconds value fs.utimes takes. A numeric string keeps pre-1970 times,
 * which Node 20 replaces with the current time when given as a negative number. Nanoseconds are
 * rounded to the microsecond and shifted 500 ns away from zero, because libuv truncates toward
 * zero to whole microseconds and the double would otherwise land just below the one meant.
 */
export function toUtimesValue(time: TreeTime): string {
  if (time instanceof Date) return String(time.getTime() / 1000);
  if (typeof time === 'number') return String(time);
  const micros = time >= 0n ? (time + 500n) / 1000n : (time - 500n) / 1000n;
  const shifted = micros * 1000n + (time >= 0n ? 500n : -500n);
  return String(Number(shifted / 1_000_000_000n) + Number(shifted % 1_000_000_000n) / 1e9);
}

async function writeChildren(dirPath: Buffer, spec: TreeSpec, root: Buffer): Promise<void> {
  for (const [name, node] of specEntries(spec)) {
    await writeNode(joinBytes(dirPath, name), node, root);
  }
}

async function writeNode(path: Buffer, node: TreeNode, root: Buffer): Promise<void> {
  switch (node.type) {
    case 'file':
      await writeFile(path, node.content);
      return finishNode(path, node, node.mode);
    case 'sparse':
      await writeSparse(path, node);
      return finishNode(path, node, node.mode);
    case 'dir':
      await mkdir(path, { mode: 0o700 });
      await writeChildren(path, node.children, root);
      return finishNode(path, node, node.mode);
    case 'symlink':
      await createSymlink(node.target, path);
      return finishNode(path, node, undefined);
    case 'fifo':
      execFileSync('mkfifo', ['--', utf8Path(path)]);
      return;
    case 'hardlink':
      await link(joinBytes(root, Buffer.from(node.target)), path);
      return;
  }
}

/** Sets owner, mode, attributes and mtime, in that order (chown clears setuid bits). */
async function finishNode(
  path: Buffer,
  node: NodeExtras & { mtime?: TreeTime },
  mode: number | undefined,
): Promise<void> {
  if (node.owner !== undefined) await lchown(path, node.owner.uid, node.owner.gid);
  if (mode !== undefined) await chmod(path, mode);
  for (const [name, value] of Object.entries(node.xattrs ?? {})) setUserXattr(path, name, value);
  if (node.mtime === undefined) return;
  const time = toUtimesValue(node.mtime);
  await (mode === undefined ? lutimes : utimes)(path, time, time);
}

async function writeSparse(path: Buffer, node: SparseNode): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (const [offset, bytes] of node.data) await handle.write(bytes, 0, bytes.length, offset);
    await handle.truncate(node.size);
  } finally {
    await handle.close();
  }
}

/** Command arguments are passed as UTF-8, so a FIFO name must be valid UTF-8. */
function utf8Path(path: Buffer): string {
  const text = path.toString('utf8');
  if (!Buffer.from(text).equals(path)) throw new Error(`FIFO path is not valid UTF-8: ${text}`);
  return text;
}
