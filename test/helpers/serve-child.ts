// Runs a server in a child process so a test can kill it with SIGKILL. Settings come from the
// environment:
// - SCPFS_DATA_DIR, SCPFS_PORT, SCPFS_CONFIG_FILE (a JSON configuration file, for regions).
// - SCPFS_TEST_SLOW_FILE_MS: delay before every file copy.
// - SCPFS_TEST_KILL_FILE: path of a JSON KillSpec. Once the file exists, the process sends itself
//   SIGKILL at the point it names and first writes a KillReport to `<path>.fired`.
// - SCPFS_TEST_HOLD_FILE: while this file exists, every run waits just before its commit.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, type ConfigFlags } from '../../src/config/config.js';
import type { EngineHooks } from '../../src/dataplane/hooks.js';
import { startServer } from '../../src/server.js';

/** Engine hook at which the armed kill fires. `anyHook` counts calls of every hook. */
export type KillPoint =
  | 'beforeFileCopy'
  | 'beforeCommit'
  | 'afterCommitOp'
  | 'afterPatchWrite'
  | 'afterCommit'
  | 'anyHook';

/** Where to kill the process; the fields that do not apply to `point` are ignored. */
export interface KillSpec {
  point: KillPoint;
  /** Fire on the nth call (from 1) of the hook after the file appeared. Defaults to 1. */
  nth?: number;
  /** beforeFileCopy only: count only copies of this volume-relative path. */
  path?: string;
  /** afterCommitOp only: the journal op index, or its position in the journal. */
  op?: number | 'first' | 'middle' | 'last';
  /** Kill this many milliseconds after the hook returns instead of inside it. */
  delayMs?: number;
}

/** What the child wrote just before it killed itself. */
export interface KillReport {
  point: KillPoint;
  /** The hook that was running, which differs from `point` for `anyHook`. */
  hook: string;
  /** Calls of the counted hook since the kill was armed, this one included. */
  calls: number;
  /** afterCommitOp: the op index and the journal's op count. */
  opIndex?: number;
  opCount?: number;
  relPath?: string;
}

const POLL_MS = 20;
const flags: ConfigFlags = {
  dataDir: process.env.SCPFS_DATA_DIR,
  host: '127.0.0.1',
  port: Number(process.env.SCPFS_PORT ?? 0),
  configFile: process.env.SCPFS_CONFIG_FILE,
};
const regionRoots = loadConfig(flags, {}).regions.map((region) => region.root);
const slowMs = Number(process.env.SCPFS_TEST_SLOW_FILE_MS ?? 0);
const killFile = process.env.SCPFS_TEST_KILL_FILE;
const holdFile = process.env.SCPFS_TEST_HOLD_FILE;
let armedSpec: KillSpec | undefined;
let calls = 0;

/** Returns the armed spec once the kill file exists; counting starts at that moment. */
function currentSpec(): KillSpec | undefined {
  if (armedSpec === undefined && killFile !== undefined && existsSync(killFile)) {
    armedSpec = JSON.parse(readFileSync(killFile, 'utf8')) as KillSpec;
    calls = 0;
  }
  return armedSpec;
}

function killNow(report: KillReport): void {
  writeFileSync(`${killFile}.fired`, JSON.stringify(report));
  process.kill(process.pid, 'SIGKILL');
}

/** Kills at once, or after spec.delayMs so that the kill lands in the work after the hook. */
function fire(spec: KillSpec, report: KillReport): void {
  if (spec.delayMs === undefined) return killNow(report);
  setTimeout(() => killNow(report), spec.delayMs);
  armedSpec = { ...spec, nth: Number.POSITIVE_INFINITY };
}

/** Counts a call of `hook` and fires when it is the armed one. */
function countCall(hook: KillPoint, details: Partial<KillReport> = {}): void {
  const spec = currentSpec();
  if (spec === undefined || (spec.point !== hook && spec.point !== 'anyHook')) return;
  calls++;
  if (calls === (spec.nth ?? 1)) fire(spec, { point: spec.point, hook, calls, ...details });
}

/**
 * Returns the op count of the one journal that exists during a commit: the header's `ops` field,
 * or else the number of lines after the header.
 */
function journalOpCount(): number {
  for (const root of regionRoots) {
    const workRoot = path.join(root, '.scpfs', 'work');
    if (!existsSync(workRoot)) continue;
    for (const id of readdirSync(workRoot)) {
      const journal = path.join(workRoot, id, 'journal');
      if (!existsSync(journal)) continue;
      const lines = readFileSync(journal, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      const header = JSON.parse(lines[0] ?? '{}') as { ops?: unknown };
      return typeof header.ops === 'number' ? header.ops : lines.length - 1;
    }
  }
  throw new Error('afterCommitOp ran but no commit journal was found');
}

function targetOpIndex(op: KillSpec['op'], count: number): number {
  if (op === undefined || op === 'first') return 0;
  if (op === 'middle') return Math.floor(count / 2);
  if (op === 'last') return count - 1;
  return op;
}

function onCommitOp(index: number): void {
  const spec = currentSpec();
  if (spec?.point !== 'afterCommitOp') return countCall('afterCommitOp');
  const opCount = journalOpCount();
  if (index !== targetOpIndex(spec.op, opCount)) return;
  fire(spec, { point: spec.point, hook: 'afterCommitOp', calls: 1, opIndex: index, opCount });
}

function onFileCopy(relPath: Buffer): void {
  const spec = currentSpec();
  if (spec?.point === 'beforeFileCopy' && spec.path !== undefined) {
    if (relPath.toString() !== spec.path) return;
  }
  countCall('beforeFileCopy', { relPath: relPath.toString() });
}

async function waitWhileHeld(): Promise<void> {
  while (holdFile !== undefined && existsSync(holdFile)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const hooks: EngineHooks = {
  async beforeFileCopy(relPath) {
    if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
    onFileCopy(relPath);
  },
  async beforeCommit() {
    await waitWhileHeld();
    countCall('beforeCommit');
  },
  afterCommitOp: (index) => onCommitOp(index),
  afterPatchWrite: (relPath) => countCall('afterPatchWrite', { relPath: relPath.toString() }),
  afterCommit: () => countCall('afterCommit'),
};

const server = await startServer(flags, {
  env: {},
  overrides: { runnerIntervalMs: 100, leaseTimeoutMs: 60_000, retryBackoffMs: [60_000] },
  logger: pino({ level: process.env.SCPFS_TEST_LOG_LEVEL ?? 'silent' }),
  engineHooks: hooks,
});
process.stdout.write(JSON.stringify({ url: server.url, ...server.rootCredentials }) + '\n');
