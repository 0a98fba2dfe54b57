// Generates a reproducible, realistic volume tree, and mutates it the way users would.
import { lstat, mkdir, readdir, rm, symlink, utimes, chmod, writeFile } from 'node:fs/promises';
import { SeededRandom } from './random.js';
import { display } from './compare-trees.js';
import {
  dir,
  file,
  hardlink,
  joinBytes,
  sparseFile,
  specEntries,
  symlink as symlinkNode,
  toUtimesValue,
  writeTree,
  type TreeSpec,
} from './tree.js';
import { nativeAvailable } from './native.js';

export interface RealisticTreeOptions {
  /** Number of regular files, special-name files included. Defaults to 3000. */
  files?: number;
  seed?: number;
  /**
   * Also create hard links, a sparse file, user.* attributes (with the native addon built) and,
   * when running as root, entries owned by another user. Defaults to false.
   */
  extras?: boolean;
}

export interface RealisticTreeSummary {
  /** Paths of regular files, hard links included. */
  files: number;
  directories: number;
  symlinks: number;
  /** Paths that are extra hard links of a file met earlier. */
  hardLinks: number;
  /** Sizes of the distinct regular files. */
  bytes: number;
}

const WORDS = [
  'docs',
  'src',
  'reports',
  'photos',
  'backup',
  'data',
  'logs',
  'archive',
  'build',
  'assets',
];
const KOREAN_WORDS = ['문서', '사진', '보고서', '자료'];
const TEXT_EXTENSIONS = ['txt', 'md', 'csv', 'json', 'log'];
const BINARY_EXTENSIONS = ['bin', 'dat', 'png'];
const FILE_MODES = [0o644, 0o644, 0o644, 0o644, 0o644, 0o644, 0o644, 0o600, 0o755, 0o444, 0o640];
const DIR_MODES = [0o755, 0o755, 0o755, 0o750, 0o700];
const MAX_DEPTH = 7;
const LARGE_FILES = 4;
const MIB = 1024 * 1024;
const WRITE_BATCH = 16;
/** 2019-01-01 and 2024-12-31 as seconds since the epoch. */
const TIME_RANGE = [1_546_300_800, 1_735_603_200] as const;

interface PlannedFile {
  rel: Buffer;
  content: Buffer;
  mode: number;
  mtimeNs?: bigint;
}

/**
 * Creates under `root` a tree like a real volume: nested directories up to 8 levels, text and
 * binary files from empty to about 1 MiB, Korean names in NFC and NFD side by side, odd and
 * non-UTF-8 names, a 240-byte name, absolute, relative, dangling and directory symlinks, an empty
 * and a read-only directory, varied modes and sub-second mtimes, and optionally the extras listed
 * at RealisticTreeOptions. The same seed gives the same tree, except the mtimes of entries left
 * with their creation time.
 */
export async function generateRealisticTree(
  root: string,
  options: RealisticTreeOptions = {},
): Promise<RealisticTreeSummary> {
  const random = new SeededRandom(options.seed ?? 1);
  const rootPath = Buffer.from(root);
  await mkdir(rootPath, { recursive: true });

  const special = specialEntries(random, options.extras === true);
  await writeTree(rootPath, special.spec);
  const directories = await createDirectories(
    rootPath,
    random,
    Math.max(8, Math.round((options.files ?? 3000) / 25)),
  );
  const regularCount = Math.max(0, (options.files ?? 3000) - special.files);
  const planned = planFiles(random, directories, regularCount);
  await writeFiles(rootPath, planned);
  await finishDirectories(rootPath, random, directories);

  const bytes = planned.reduce((sum, f) => sum + f.content.length, 0) + special.bytes;
  return {
    files: planned.length + special.files,
    directories: directories.length + special.directories,
    symlinks: special.symlinks,
    hardLinks: special.hardLinks,
    bytes,
  };
}

/** Builds the hand-written part of the tree: names and entry types that tend to break copiers. */
function specialEntries(random: SeededRandom, extras: boolean) {
  const text = (n: number) => file(randomText(random, n), { mtime: randomTimeNs(random) });
  const korean = '한글파일.txt';
  const oddNames: Array<[string | Buffer, ReturnType<typeof file>]> = [
    ['with space.txt', text(40)],
    ["it's quoted.txt", text(41)],
    ['say "hi".txt', text(42)],
    ['new\nline.txt', text(43)],
    ['back\\slash.txt', text(44)],
    ['#hash #tag.txt', text(45)],
    ['emoji 🎉📁.txt', text(46)],
    ['tab\tname.txt', text(47)],
    ['-leading-dash.txt', text(48)],
    ['.hidden', text(49)],
    ['*star?.txt', text(50)],
    [
      Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('-latin1.txt')]),
      text(51),
    ],
    ['long-'.padEnd(236, 'x') + '.txt', text(52)],
    ['가'.repeat(80), text(53)],
  ];
  const spec: TreeSpec = {
    'README.md': file('# Volume\n\nTest data.\n', { mode: 0o644, mtime: 1_700_000_000.25 }),
    'odd names': dir(oddNames),
    한국어: dir([
      [korean.normalize('NFC'), text(60)],
      [korean.normalize('NFD'), text(61)],
      ['사진'.normalize('NFC'), dir({ '사진.jpg': file(random.bytes(3000), { mode: 0o600 }) })],
    ]),
    links: dir({
      'abs-hostname': symlinkNode('/etc/hostname', { mtime: 1_650_000_000.5 }),
      'abs-dir': symlinkNode('/etc'),
      relative: symlinkNode('../README.md'),
      'relative-dir': symlinkNode('../odd names'),
      dangling: symlinkNode('does-not-exist/anywhere'),
    }),
    'empty dir': dir({}, { mode: 0o700, mtime: 1_600_000_000.123456 }),
    'read-only': dir(
      { 'a.txt': text(70), 'b.txt': text(71), sub: dir({ 'c.bin': file(random.bytes(500)) }) },
      { mode: 0o555, mtime: 1_610_000_000.75 },
    ),
    ...(extras ? extraEntries(random) : {}),
  };
  return { spec, ...countSpec(spec) };
}

const MIB_SPARSE = 1024 * 1024;

/** Entries that test faithfulness beyond bytes, modes and mtimes. */
function extraEntries(random: SeededRandom): TreeSpec {
  const text = (n: number) => randomText(random, n);
  const xattrs = nativeAvailable
    ? { 'user.mime_type': 'text/plain', 'user.checksum': random.bytes(20) }
    : undefined;
  const owner = process.getuid?.() === 0 ? { uid: 1234, gid: 5678 } : undefined;
  return {
    'hard links': dir({
      'original.txt': file(text(3000)),
      'second name.txt': hardlink('hard links/original.txt'),
      nested: dir({ 'third name.txt': hardlink('hard links/original.txt') }),
      'pair-a.bin': file(random.bytes(5000)),
      'pair-b.bin': hardlink('hard links/pair-a.bin'),
    }),
    'disk.img': sparseFile(
      16 * MIB_SPARSE,
      [
        [0, random.bytes(4096)],
        [5 * MIB_SPARSE, random.bytes(70_000)],
        [12 * MIB_SPARSE + 123, random.bytes(1000)],
      ],
      { mode: 0o600 },
    ),
    attributes: dir(
      {
        'tagged.txt': file(text(100), { xattrs, owner }),
        'owned-only.txt': file(text(50), { owner }),
      },
      { xattrs: nativeAvailable ? { 'user.folder': 'kept' } : undefined, owner },
    ),
  };
}

function countSpec(spec: TreeSpec): RealisticTreeSummary {
  const counts = { files: 0, directories: 0, symlinks: 0, hardLinks: 0, bytes: 0 };
  for (const [, node] of specEntries(spec)) {
    if (node.type === 'file') {
      counts.files++;
      counts.bytes += node.content.length;
    }
    if (node.type === 'sparse') {
      counts.files++;
      counts.bytes += node.size;
    }
    if (node.type === 'hardlink') {
      counts.files++;
      counts.hardLinks++;
    }
    if (node.type === 'symlink') counts.symlinks++;
    if (node.type === 'dir') {
      const inner = countSpec(node.children);
      counts.directories += 1 + inner.directories;
      counts.files += inner.files;
      counts.symlinks += inner.symlinks;
      counts.hardLinks += inner.hardLinks;
      counts.bytes += inner.bytes;
    }
  }
  return counts;
}

/** Creates nested directories; returns their relative paths, parents before children. */
async function createDirectories(
  root: Buffer,
  random: SeededRandom,
  count: number,
): Promise<Buffer[]> {
  const dirs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const parent = chooseParent(random, dirs);
    const word = random.next() < 0.15 ? random.pick(KOREAN_WORDS) : random.pick(WORDS);
    const name = Buffer.from(`${word}-${i}`);
    const rel = parent === undefined ? name : joinBytes(parent, name);
    await mkdir(joinBytes(root, rel), { mode: 0o755 });
    dirs.push(rel);
  }
  return dirs;
}

/** Prefers the newest directory (building deep chains) and keeps depth under MAX_DEPTH. */
function chooseParent(random: SeededRandom, dirs: readonly Buffer[]): Buffer | undefined {
  if (dirs.length === 0 || random.next() < 0.2) return undefined;
  const candidate = random.next() < 0.4 ? dirs[dirs.length - 1] : random.pick(dirs);
  if (candidate === undefined || depthOf(candidate) >= MAX_DEPTH) return undefined;
  return candidate;
}

function planFiles(random: SeededRandom, dirs: readonly Buffer[], count: number): PlannedFile[] {
  const planned: PlannedFile[] = [];
  for (let i = 0; i < count; i++) {
    const parent = random.next() < 0.05 ? undefined : random.pick(dirs);
    const binary = random.next() < 0.35;
    const extension = random.pick(binary ? BINARY_EXTENSIONS : TEXT_EXTENSIONS);
    const word = random.pick(WORDS);
    const name = Buffer.from(`${word}-file-${String(i).padStart(5, '0')}.${extension}`);
    const size = i < LARGE_FILES ? MIB - random.int(0, 4096) : smallFileSize(random);
    planned.push({
      rel: parent === undefined ? name : joinBytes(parent, name),
      content: binary ? random.bytes(size) : randomText(random, size),
      mode: random.pick(FILE_MODES),
      mtimeNs: random.next() < 0.5 ? randomTimeNs(random) : undefined,
    });
  }
  return planned;
}

/** 5% empty, 80% up to 8 KiB, 15% up to 64 KiB. */
function smallFileSize(random: SeededRandom): number {
  const r = random.next();
  if (r < 0.05) return 0;
  if (r < 0.85) return random.int(1, 8 * 1024);
  return random.int(8 * 1024, 64 * 1024);
}

async function writeFiles(root: Buffer, planned: readonly PlannedFile[]): Promise<void> {
  for (let start = 0; start < planned.length; start += WRITE_BATCH) {
    const batch = planned.slice(start, start + WRITE_BATCH);
    await Promise.all(batch.map((f) => writePlannedFile(root, f)));
  }
}

async function writePlannedFile(root: Buffer, planned: PlannedFile): Promise<void> {
  const path = joinBytes(root, planned.rel);
  await writeFile(path, planned.content);
  await chmod(path, planned.mode);
  if (planned.mtimeNs !== undefined) {
    const time = toUtimesValue(planned.mtimeNs);
    await utimes(path, time, time);
  }
}

/** Sets directory modes and (for most) mtimes, deepest first so that later steps keep them. */
async function finishDirectories(
  root: Buffer,
  random: SeededRandom,
  dirs: readonly Buffer[],
): Promise<void> {
  const deepestFirst = [...dirs].sort((a, b) => depthOf(b) - depthOf(a));
  for (const rel of deepestFirst) {
    const path = joinBytes(root, rel);
    await chmod(path, random.pick(DIR_MODES));
    if (random.next() < 0.6) {
      const time = toUtimesValue(randomTimeNs(random));
      await utimes(path, time, time);
    }
  }
}

function randomTimeNs(random: SeededRandom): bigint {
  const seconds = BigInt(random.int(TIME_RANGE[0], TIME_RANGE[1]));
  return seconds * 1_000_000_000n + BigInt(random.int(0, 999_999_999));
}

const TEXT_WORDS =
  'lorem ipsum replica volume storage region 데이터 파일 snapshot quota mount share'.split(' ');

function randomText(random: SeededRandom, size: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const word = random.next() < 0.1 ? '\n' : `${random.pick(TEXT_WORDS)} `;
    parts.push(word);
    length += Buffer.byteLength(word);
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

function depthOf(rel: Buffer): number {
  return rel.reduce((depth, byte) => (byte === 0x2f ? depth + 1 : depth), 1);
}

// ---------------------------------------------------------------------------------------------
// Mutation

/** What mutateTree changed; paths are relative, in display form (see compareTrees' display). */
export interface MutationReport {
  /** Files rewritten with new content; one of them keeps its size and gets a later mtime. */
  modified: string[];
  /** New regular files, including those inside new directories. */
  added: string[];
  /** Removed files and symlinks. */
  deleted: string[];
  deletedDirs: string[];
  /** Files whose mode changed and nothing else. */
  modeChanged: string[];
  /** Files replaced by a directory holding two new files. */
  fileToDir: string[];
  /** Directories replaced by a file. */
  dirToFile: string[];
  symlinkRetargeted: string[];
  /** Regular files a replication run must copy to catch up. */
  filesWritten: number;
  /** Topmost replica entries a replication run must remove to catch up. */
  topmostRemovals: number;
}

/** One entry found by listEntries. */
export interface WalkedEntry {
  rel: Buffer;
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  size: number;
  mtimeNs: bigint;
}

/**
 * Changes the tree under `root` as users would, reproducibly for a seed: rewrites, adds and
 * deletes files, deletes a directory, changes modes, turns a file into a directory and a directory
 * into a file, and retargets and deletes symlinks. Only touches entries whose parent directory is
 * owner-writable, so it also works on trees with read-only directories.
 */
export async function mutateTree(root: string, seed: number): Promise<MutationReport> {
  const random = new SeededRandom(seed);
  const rootPath = Buffer.from(root);
  const report: MutationReport = {
    modified: [],
    added: [],
    deleted: [],
    deletedDirs: [],
    modeChanged: [],
    fileToDir: [],
    dirToFile: [],
    symlinkRetargeted: [],
    filesWritten: 0,
    topmostRemovals: 0,
  };
  await mutateDirectories(rootPath, random, report);
  await mutateFiles(rootPath, random, report);
  await mutateSymlinks(rootPath, random, report);
  await addEntries(rootPath, random, report, seed);
  report.filesWritten = report.modified.length + report.added.length + report.dirToFile.length;
  report.topmostRemovals =
    report.deleted.length +
    report.deletedDirs.length +
    report.fileToDir.length +
    report.dirToFile.length;
  return report;
}

async function mutateDirectories(
  root: Buffer,
  random: SeededRandom,
  report: MutationReport,
): Promise<void> {
  const entries = await listEntries(root);
  const parentWritable = parentWritableCheck(entries);
  const candidates = entries.filter(
    (e) => e.kind === 'dir' && depthOf(e.rel) >= 2 && parentWritable(e.rel),
  );
  const shuffled = random.shuffle(candidates);
  const toDelete = shuffled[0];
  const toFile = shuffled.find((e) => toDelete === undefined || !related(e.rel, toDelete.rel));
  if (toDelete !== undefined) {
    await rm(joinBytes(root, toDelete.rel), { recursive: true });
    report.deletedDirs.push(display(toDelete.rel));
  }
  if (toFile !== undefined && toFile !== toDelete) {
    await rm(joinBytes(root, toFile.rel), { recursive: true });
    await writeFile(joinBytes(root, toFile.rel), randomText(random, 333));
    report.dirToFile.push(display(toFile.rel));
  }
}

async function mutateFiles(
  root: Buffer,
  random: SeededRandom,
  report: MutationReport,
): Promise<void> {
  const entries = await listEntries(root);
  const parentWritable = parentWritableCheck(entries);
  const replacedDirs = new Set(report.dirToFile);
  const files = entries.filter(
    (e) =>
      e.kind === 'file' &&
      (e.mode & 0o200) !== 0 &&
      parentWritable(e.rel) &&
      !replacedDirs.has(display(e.rel)),
  );
  const k = Math.max(1, Math.round(files.length * 0.02));
  const shuffled = random.shuffle(files);
  let next = 0;
  const take = (n: number) => shuffled.slice(next, (next += n));

  for (const entry of take(k)) {
    await writeFile(joinBytes(root, entry.rel), random.bytes(entry.size + random.int(1, 2000)));
    report.modified.push(display(entry.rel));
  }
  for (const entry of take(1)) await rewriteSameSize(root, random, entry, report);
  for (const entry of take(k)) {
    await rm(joinBytes(root, entry.rel));
    report.deleted.push(display(entry.rel));
  }
  for (const entry of take(k)) {
    const modes = FILE_MODES.filter((mode) => mode !== entry.mode && (mode & 0o200) !== 0);
    await chmod(joinBytes(root, entry.rel), random.pick(modes));
    report.modeChanged.push(display(entry.rel));
  }
  for (const entry of take(1)) await replaceFileWithDirectory(root, random, entry, report);
}

/** Same size and a later mtime: catches copiers that look at size alone. */
async function rewriteSameSize(
  root: Buffer,
  random: SeededRandom,
  entry: WalkedEntry,
  report: MutationReport,
): Promise<void> {
  const path = joinBytes(root, entry.rel);
  await writeFile(path, random.bytes(entry.size));
  const time = toUtimesValue(entry.mtimeNs + 1_500_000_000n);
  await utimes(path, time, time);
  report.modified.push(display(entry.rel));
}

async function replaceFileWithDirectory(
  root: Buffer,
  random: SeededRandom,
  entry: WalkedEntry,
  report: MutationReport,
): Promise<void> {
  const path = joinBytes(root, entry.rel);
  await rm(path);
  await mkdir(path);
  for (const name of ['inner-1.txt', 'inner-2.bin']) {
    await writeFile(joinBytes(path, Buffer.from(name)), random.bytes(random.int(10, 5000)));
    report.added.push(display(joinBytes(entry.rel, Buffer.from(name))));
  }
  report.fileToDir.push(display(entry.rel));
}

async function mutateSymlinks(
  root: Buffer,
  random: SeededRandom,
  report: MutationReport,
): Promise<void> {
  const entries = await listEntries(root);
  const parentWritable = parentWritableCheck(entries);
  const links = random.shuffle(
    entries.filter((e) => e.kind === 'symlink' && parentWritable(e.rel)),
  );
  const [retarget, remove] = links;
  if (retarget !== undefined) {
    const path = joinBytes(root, retarget.rel);
    await rm(path);
    await symlink(`retargeted-${random.int(0, 9999)}`, path);
    report.symlinkRetargeted.push(display(retarget.rel));
  }
  if (remove !== undefined) {
    await rm(joinBytes(root, remove.rel));
    report.deleted.push(display(remove.rel));
  }
}

async function addEntries(
  root: Buffer,
  random: SeededRandom,
  report: MutationReport,
  seed: number,
): Promise<void> {
  const entries = await listEntries(root);
  const dirs = entries.filter(
    (e) => e.kind === 'dir' && (e.mode & 0o200) !== 0 && !e.rel.toString().includes('empty'),
  );
  const files = entries.filter((e) => e.kind === 'file').length;
  const k = Math.max(1, Math.round(files * 0.02));
  for (let i = 0; i < k; i++) {
    const parent = random.pick(dirs).rel;
    const rel = joinBytes(parent, Buffer.from(`added-${seed}-${i}.txt`));
    await writeFile(joinBytes(root, rel), randomText(random, random.int(0, 20_000)), {
      flag: 'wx',
    });
    report.added.push(display(rel));
  }
  const newDir = joinBytes(random.pick(dirs).rel, Buffer.from(`new-dir-${seed}`));
  await writeTree(joinBytes(root, newDir), {
    'one.txt': file(randomText(random, 100)),
    'two.bin': file(random.bytes(70_000), { mode: 0o600 }),
    nested: dir({ 'three.md': file('# three\n'), 'empty-nested': dir({}) }),
  });
  for (const name of ['one.txt', 'two.bin', 'nested/three.md']) {
    report.added.push(display(joinBytes(newDir, Buffer.from(name))));
  }
}

/** Lists every entry below `root` (not following symlinks), parents first, names sorted by bytes. */
export async function listEntries(root: Buffer): Promise<WalkedEntry[]> {
  const out: WalkedEntry[] = [];
  const visit = async (rel: Buffer | undefined): Promise<void> => {
    const dirPath = rel === undefined ? root : joinBytes(root, rel);
    const names = (await readdir(dirPath, { encoding: 'buffer' })).sort(Buffer.compare);
    for (const name of names) {
      const childRel = rel === undefined ? name : joinBytes(rel, name);
      const stats = await lstat(joinBytes(root, childRel), { bigint: true });
      const kind = stats.isFile()
        ? 'file'
        : stats.isDirectory()
          ? 'dir'
          : stats.isSymbolicLink()
            ? 'symlink'
            : 'other';
      out.push({
        rel: childRel,
        kind,
        mode: Number(stats.mode & 0o7777n),
        size: Number(stats.size),
        mtimeNs: stats.mtimeNs,
      });
      if (kind === 'dir') await visit(childRel);
    }
  };
  await visit(undefined);
  return out;
}

/** Returns a check for "the entry's parent directory is owner-writable" (the root always is). */
function parentWritableCheck(entries: readonly WalkedEntry[]): (rel: Buffer) => boolean {
  const modes = new Map(entries.map((e) => [e.rel.toString('latin1'), e.mode]));
  return (rel) => {
    const slash = rel.lastIndexOf(0x2f);
    if (slash < 0) return true;
    const mode = modes.get(rel.subarray(0, slash).toString('latin1'));
    return mode !== undefined && (mode & 0o200) !== 0;
  };
}

/** Tells whether one path is the other or inside it. */
function related(a: Buffer, b: Buffer): boolean {
  const inside = (x: Buffer, y: Buffer) =>
    x.length > y.length && x[y.length] === 0x2f && x.subarray(0, y.length).equals(y);
  return a.equals(b) || inside(a, b) || inside(b, a);
}
