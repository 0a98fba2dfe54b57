// Declarative builder for test directory trees, with raw byte names, modes and mtimes.
import { execFileSync } from 'node:child_process';
import {
  chmod,
  lutimes,
  mkdir,
  symlink as createSymlink,
  utimes,
  writeFile,
} from 'node:fs/promises';

/** A time to give an entry: a Date, seconds since the epoch, or nanoseconds as a bigint. */
export type TreeTime = Date | number | bigint;

export interface FileNode {
  type: 'file';
  content: Buffer;
  mode: number;
  mtime?: TreeTime;
}

export interface DirNode {
  type: 'dir';
  children: TreeSpec;
  mode: number;
  mtime?: TreeTime;
}

export interface SymlinkNode {
  type: 'symlink';
  target: Buffer;
  mtime?: TreeTime;
}

export interface FifoNode {
  type: 'fifo';
}

export type TreeNode = FileNode | DirNode | SymlinkNode | FifoNode;

/**
 * Directory contents: an object keyed by UTF-8 name, or pairs (an array or a Map) whose names may
 * be Buffers, for names that are not valid UTF-8.
 */
export type TreeSpec = Record<string, TreeNode> | Iterable<readonly [string | Buffer, TreeNode]>;

export interface EntryOptions {
  /** Permission bits; files default to 0o644 and directories to 0o755. */
  mode?: number;
  /** Without it the entry keeps the time of its creation. */
  mtime?: TreeTime;
}

export function file(content: string | Buffer, options: EntryOptions = {}): FileNode {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return { type: 'file', content: bytes, mode: options.mode ?? 0o644, mtime: options.mtime };
}

export function dir(children: TreeSpec = {}, options: EntryOptions = {}): DirNode {
  return { type: 'dir', children, mode: options.mode ?? 0o755, mtime: options.mtime };
}

export function symlink(target: string | Buffer, options: { mtime?: TreeTime } = {}): SymlinkNode {
  const bytes = typeof target === 'string' ? Buffer.from(target) : target;
  return { type: 'symlink', target: bytes, mtime: options.mtime };
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
  await writeChildren(rootPath, spec);
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

async function writeChildren(dirPath: Buffer, spec: TreeSpec): Promise<void> {
  for (const [name, node] of specEntries(spec)) {
    await writeNode(joinBytes(dirPath, name), node);
  }
}

async function writeNode(path: Buffer, node: TreeNode): Promise<void> {
  switch (node.type) {
    case 'file':
      await writeFile(path, node.content);
      await chmod(path, node.mode);
      if (node.mtime !== undefined)
        await utimes(path, toUtimesValue(node.mtime), toUtimesValue(node.mtime));
      return;
    case 'dir':
      await mkdir(path, { mode: 0o700 });
      await writeChildren(path, node.children);
      await chmod(path, node.mode);
      if (node.mtime !== undefined)
        await utimes(path, toUtimesValue(node.mtime), toUtimesValue(node.mtime));
      return;
    case 'symlink':
      await createSymlink(node.target, path);
      if (node.mtime !== undefined)
        await lutimes(path, toUtimesValue(node.mtime), toUtimesValue(node.mtime));
      return;
    case 'fifo':
      execFileSync('mkfifo', ['--', utf8Path(path)]);
      return;
  }
}

/** Command arguments are passed as UTF-8, so a FIFO name must be valid UTF-8. */
function utf8Path(path: Buffer): string {
  const text = path.toString('utf8');
  if (!Buffer.from(text).equals(path)) throw new Error(`FIFO path is not valid UTF-8: ${text}`);
  return text;
}
