// Fault tests through the real server in a child process: SIGKILL at chosen points of a run, a
// full replica file system (ENOSPC) and unreadable source entries. Each case checks that the
// replica is exactly one complete version afterwards and that the next run converges.
//
// SCPFS_FAULT_SEEDS (comma-separated integers, default "1") repeats the kill matrix, with trees,
// mutations and random kill points drawn from each seed.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compareTrees, formatDifferences } from './support/compare-trees.js';
import { SeededRandom } from './support/random.js';
import { generateRealisticTree, mutateTree } from './support/realistic-tree.js';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import type { KillReport, KillSpec } from './helpers/serve-child.js';
import { SignedClient } from './helpers/signed-client.js';
import { waitFor } from './helpers/wait.js';

const run = promisify(execFile);

// Without its native addon the engine sets mtimes with utimes, which takes seconds as a double
// and so is exact to about a microsecond.
const TOLERANCE = { mtimeToleranceNs: 1_000n };
const SEEDS = (process.env.SCPFS_FAULT_SEEDS ?? '1').split(',').map(Number);
const TREE_FILES = 400;
const BIG_FILE = 'big.bin';
const MIB = 1024 * 1024;
const BIG_FILE_BYTES = 96 * MIB;
const NOBODY = 65534;
const BACKUP_COPIES = 2;
const SERVE_CHILD = fileURLToPath(new URL('./helpers/serve-child.ts', import.meta.url));

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
const mounts: string[] = [];
afterAll(async () => {
  for (const child of children) await killChild(child);
  for (const mount of mounts) await run('umount', [mount]).catch(() => undefined);
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Child server

interface ChildServer {
  process: ChildProcess;
  client: SignedClient;
}

interface ChildOptions {
  env: Record<string, string>;
  /** Run the server as this uid and gid instead of root. */
  uid?: number;
}

/** Starts serve-child.ts with tsx and resolves once it prints its URL and root key. */
async function startChild(options: ChildOptions): Promise<ChildServer> {
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE_CHILD], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
    ...ids,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`server exited early: ${code ?? signal}`)),
    );
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const info = JSON.parse(firstLine) as { url: string; accessKey: string; secretKey: string };
  return { process: child, client: new SignedClient(info.url, info) };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function killChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

// ---------------------------------------------------------------------------------------------
// Replications through the API

interface ReplicationIds {
  replicationId: string;
  sourceId: string;
  sourcePath: string;
  replicaId: string;
  replicaPath: string;
}

/**
 * Creates a replication of the source volume into kr-east1 and waits for its baseline. A backup
 * keeps the last BACKUP_COPIES committed versions as snapshots of the replica volume.
 */
async function createReplication(
  client: SignedClient,
  source: { id: string; path: string },
  type: 'replication' | 'backup' = 'replication',
): Promise<ReplicationIds> {
  const body = {
    ...seedReplicationBody(source.id),
    replication_type: type,
    backup_retention_count: BACKUP_COPIES,
  };
  const created = await client.post('/v1/replications', body);
  expect(created.status, created.text).toBe(202);
  const replicationId = created.body.replication_id as string;
  await waitForReplicationStatus(client, replicationId, source.id, 'available');
  const replicaId = created.body.replication_volume_id as string;
  const replica = await client.get(`/v1/volumes/${replicaId}`);
  return {
    replicationId,
    sourceId: source.id,
    sourcePath: source.path,
    replicaId,
    replicaPath: replica.body.path,
  };
}

/** Fetches the status extension's body: replication_status, last_error, health, last_run. */
async function readStatus(client: SignedClient, ids: ReplicationIds): Promise<any> {
  const response = await client.get(`/scpfs/v1/replications/${ids.replicationId}/status`, {
    query: `volume_id=${ids.sourceId}`,
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function requestRun(client: SignedClient, ids: ReplicationIds): Promise<void> {
  const response = await client.post(
    `/scpfs/v1/replications/${ids.replicationId}/sync`,
    undefined,
    {
      query: `volume_id=${ids.sourceId}`,
    },
  );
  expect(response.status, response.text).toBe(202);
}

/** Tells whether the status shows a succeeded or failed run other than `previousRunId`. */
function hasNewFinishedRun(status: any, previousRunId: string | undefined): boolean {
  const last = status?.last_run;
  if (!last || last.run_id === previousRunId) return false;
  return last.state === 'succeeded' || last.state === 'failed';
}

/** Waits until a run other than `previousRunId` has succeeded or failed; returns the status. */
async function waitForFinishedRun(
  client: SignedClient,
  ids: ReplicationIds,
  previousRunId: string | undefined,
): Promise<any> {
  return waitFor(
    async () => {
      const status = await readStatus(client, ids);
      return hasNewFinishedRun(status, previousRunId) ? status : undefined;
    },
    `a new run of replication ${ids.replicationId} to finish`,
    60_000,
    50,
  );
}

/** Requests a run and waits for it to end; returns the status after it. */
async function runNow(client: SignedClient, ids: ReplicationIds): Promise<any> {
  const before = (await readStatus(client, ids)).last_run?.run_id as string | undefined;
  await requestRun(client, ids);
  return waitForFinishedRun(client, ids, before);
}

// ---------------------------------------------------------------------------------------------
// Trees

async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Saves a version of a tree with `cp -a`, which keeps modes, ns mtimes and symlinks. */
async function saveCopy(from: string, to: string): Promise<string> {
  await run('cp', ['-a', '--', from, to]);
  return to;
}

async function expectSameTree(expected: string, actual: string, what: string): Promise<void> {
  const differences = await compareTrees(expected, actual, TOLERANCE);
  expect(differences, `${what}:\n${formatDifferences(differences)}`).toEqual([]);
}

/** Lists the leftovers of a run in its work directory, which a clean run leaves none of. */
async function workDirLeftovers(regionRoot: string, replicationId: string): Promise<string[]> {
  const workDir = path.join(regionRoot, '.scpfs', 'work', replicationId);
  const names = await readdir(workDir).catch(() => [] as string[]);
  return names.filter((name) => ['staging', 'trash', 'journal', 'journal.tmp'].includes(name));
}

/** Returns the size of the largest regular file below `dir`, or -1 when there is none. */
async function largestFileSize(dir: string): Promise<number> {
  let largest = -1;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    largest = Math.max(largest, (await stat(path.join(entry.parentPath, entry.name))).size);
  }
  return largest;
}

/** Fills a file with bytes derived from `seed`, quickly, so its content differs per seed. */
async function writeBigFile(file: string, bytes: number, seed: number): Promise<void> {
  const block = new SeededRandom(seed).bytes(MIB);
  const content = Buffer.alloc(bytes);
  for (let offset = 0; offset < bytes; offset += block.length) block.copy(content, offset);
  await writeFile(file, content);
}

/** Overwrites 1 MiB in the middle of a file of `bytes` bytes, in place. */
async function patchMiddle(file: string, bytes: number, seed: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(new SeededRandom(seed).bytes(MIB), 0, MIB, Math.floor(bytes / 2));
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Kill matrix

/** Which committed version the replica must hold after the kill and the restart. */
type ExpectedVersion = 'previous' | 'new' | 'either';

interface KillCase {
  name: string;
  spec: KillSpec;
  expected: ExpectedVersion;
  /**
   * Add a large file to the tree. The run then copies it whole (`rewrite`, for kills in the
   * middle of one copy) or patches 1 MiB of it in place during the commit (`patch`).
   */
  bigFile?: 'rewrite' | 'patch';
  /** Replicate as a backup, which keeps retained copies after each commit. */
  backup?: boolean;
}

const FIXED_KILL_CASES: KillCase[] = [
  { name: 'first file copy', spec: { point: 'beforeFileCopy', nth: 1 }, expected: 'previous' },
  { name: 'tenth file copy', spec: { point: 'beforeFileCopy', nth: 10 }, expected: 'previous' },
  {
    name: 'middle of a large file',
    spec: { point: 'beforeFileCopy', path: BIG_FILE, delayMs: 5 },
    expected: 'previous',
    bigFile: 'rewrite',
  },
  { name: 'just before the commit', spec: { point: 'beforeCommit' }, expected: 'previous' },
  {
    name: 'after the first commit op',
    spec: { point: 'afterCommitOp', op: 'first' },
    expected: 'new',
  },
  {
    name: 'after the middle commit op',
    spec: { point: 'afterCommitOp', op: 'middle' },
    expected: 'new',
  },
  {
    name: 'after the last commit op',
    spec: { point: 'afterCommitOp', op: 'last' },
    expected: 'new',
  },
  { name: 'just after the commit', spec: { point: 'afterCommit' }, expected: 'new' },
  {
    name: 'after the first patch write',
    spec: { point: 'afterPatchWrite' },
    expected: 'new',
    bigFile: 'patch',
  },
  {
    name: 'backup before its retained copy',
    spec: { point: 'afterCommit' },
    expected: 'new',
    backup: true,
  },
  {
    // NOTE: no hook marks the retained copy, so this kill lands in it by timing only. The test
    // prints the snapshot states at the kill; `creating` shows that it landed in the copy.
    name: 'backup during its retained copy',
    spec: { point: 'afterCommit', delayMs: 30 },
    expected: 'new',
    backup: true,
  },
];

/** Two kills at a random hook call of the run: one inside the hook, one shortly after it. */
function randomKillCases(seed: number): KillCase[] {
  const random = new SeededRandom(seed * 7919);
  const inside = random.int(1, 40);
  const after = random.int(1, 40);
  const delayMs = random.int(0, 3);
  return [
    {
      name: `inside hook call ${inside} (random)`,
      spec: { point: 'anyHook', nth: inside },
      expected: 'either',
    },
    {
      name: `${delayMs} ms after hook call ${after} (random)`,
      spec: { point: 'anyHook', nth: after, delayMs },
      expected: 'either',
    },
  ];
}

/** Everything one kill case works with. */
interface KillScenario {
  base: string;
  dataDir: string;
  env: Record<string, string>;
  killFile: string;
  holdFile: string;
  ids: ReplicationIds;
  previousCopy: string;
  newCopy: string;
  baselineRunId: string;
  filesWritten: number;
}

/** Starts a server, replicates a baseline, then changes the source into the new version. */
async function prepareKillScenario(
  killCase: KillCase,
  seed: number,
): Promise<{ scenario: KillScenario; server: ChildServer }> {
  const base = await makeTempDir('scpfs-faults-kill-');
  const dataDir = path.join(base, 'data');
  const killFile = path.join(base, 'kill.json');
  const holdFile = path.join(base, 'hold');
  const env = {
    SCPFS_DATA_DIR: dataDir,
    SCPFS_TEST_KILL_FILE: killFile,
    SCPFS_TEST_HOLD_FILE: holdFile,
  };
  const server = await startChild({ env });

  const source = await createReadyVolume(server.client, 'fault_src');
  await generateRealisticTree(source.path, { files: TREE_FILES, seed });
  const bigPath = path.join(source.path, BIG_FILE);
  if (killCase.bigFile) await writeBigFile(bigPath, BIG_FILE_BYTES, seed);
  const ids = await createReplication(
    server.client,
    source,
    killCase.backup ? 'backup' : undefined,
  );
  await expectSameTree(source.path, ids.replicaPath, 'replica after the baseline');
  const baselineRunId = (await readStatus(server.client, ids)).last_run.run_id as string;
  const previousCopy = await saveCopy(source.path, path.join(base, 'previous'));

  const report = await mutateTree(source.path, seed + 1);
  if (killCase.bigFile === 'rewrite') await writeBigFile(bigPath, BIG_FILE_BYTES, seed + 1);
  if (killCase.bigFile === 'patch') await patchMiddle(bigPath, BIG_FILE_BYTES, seed + 1);
  const newCopy = await saveCopy(source.path, path.join(base, 'new'));
  const scenario = {
    base,
    dataDir,
    env,
    killFile,
    holdFile,
    ids,
    previousCopy,
    newCopy,
    baselineRunId,
    filesWritten: report.filesWritten + (killCase.bigFile === undefined ? 0 : 1),
  };
  return { scenario, server };
}

/** How the run after arming the kill ended: the kill report, or the status of a finished run. */
type KillOutcome = { report: KillReport } | { finishedStatus: any };

/** Polls until the server has died or the run has finished, whichever comes first. */
async function waitForKillOrFinish(
  scenario: KillScenario,
  server: ChildServer,
): Promise<'killed' | { finishedStatus: any }> {
  return waitFor(
    async () => {
      if (hasExited(server.process)) return 'killed';
      const status = await readStatus(server.client, scenario.ids).catch(() => undefined);
      if (hasExited(server.process)) return 'killed';
      return hasNewFinishedRun(status, scenario.baselineRunId)
        ? { finishedStatus: status }
        : undefined;
    },
    'the server to be killed or the run to finish',
    60_000,
    20,
  );
}

/**
 * Arms the kill, requests a run and waits for the server to kill itself. When the run finishes
 * without reaching the kill point, the server is killed while idle.
 */
async function runUntilKilled(
  scenario: KillScenario,
  server: ChildServer,
  spec: KillSpec,
): Promise<KillOutcome> {
  await writeFile(scenario.killFile, JSON.stringify(spec));
  await requestRun(server.client, scenario.ids);
  const ending = await waitForKillOrFinish(scenario, server);
  await killChild(server.process);
  await rm(scenario.killFile);
  if (ending !== 'killed') return ending;
  expect(server.process.signalCode).toBe('SIGKILL');
  const report = JSON.parse(await readFile(`${scenario.killFile}.fired`, 'utf8')) as KillReport;
  return { report };
}

/** Compares a tree with both saved versions and returns the one it equals. */
async function matchingVersion(scenario: KillScenario, tree: string): Promise<'previous' | 'new'> {
  const againstPrevious = await compareTrees(scenario.previousCopy, tree, TOLERANCE);
  if (againstPrevious.length === 0) return 'previous';
  const againstNew = await compareTrees(scenario.newCopy, tree, TOLERANCE);
  if (againstNew.length === 0) return 'new';
  const detail = [
    `${tree} equals neither version.`,
    `Against the previous version:\n${formatDifferences(againstPrevious.slice(0, 20))}`,
    `Against the new version:\n${formatDifferences(againstNew.slice(0, 20))}`,
  ].join('\n');
  throw new Error(detail);
}

/** Checks where the kill report places the kill against what the kill case requested. */
function checkKillReport(killCase: KillCase, report: KillReport, scenario: KillScenario): void {
  const { spec } = killCase;
  if (spec.point === 'beforeFileCopy' && spec.path === undefined) {
    expect(scenario.filesWritten, 'files the run has to copy').toBeGreaterThanOrEqual(
      spec.nth ?? 1,
    );
    expect(report.calls).toBe(spec.nth ?? 1);
  }
  if (spec.point === 'afterCommitOp') {
    expect(report.opCount, 'journal ops').toBeGreaterThanOrEqual(3);
    const wanted = { first: 0, middle: Math.floor(report.opCount! / 2), last: report.opCount! - 1 };
    expect(report.opIndex).toBe(wanted[spec.op as keyof typeof wanted]);
  }
}

/** Releases the held run after the restart and checks that it converges to the new version. */
async function checkConvergence(scenario: KillScenario, server: ChildServer): Promise<void> {
  await rm(scenario.holdFile);
  const status = await waitForFinishedRun(server.client, scenario.ids, scenario.baselineRunId);
  expect(status.last_run.state, status.last_run.error ?? '').toBe('succeeded');
  expect(status.replication_status).toBe('available');
  await expectSameTree(
    scenario.ids.sourcePath,
    scenario.ids.replicaPath,
    'replica after the next run',
  );
  await expectSameTree(
    scenario.newCopy,
    scenario.ids.replicaPath,
    'replica against the new version',
  );
  const regionRoot = path.join(scenario.dataDir, 'regions', 'kr-east1');
  expect(await workDirLeftovers(regionRoot, scenario.ids.replicationId)).toEqual([]);
}

/** Lists the states of the replica volume's snapshot rows, read from SQLite directly. */
function snapshotStates(scenario: KillScenario): string[] {
  const db = new SQLite(path.join(scenario.dataDir, 'scpfs.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare('select state from snapshots where volume_id = ? order by created_at')
      .all(scenario.ids.replicaId) as Array<{ state: string }>;
    return rows.map((row) => row.state);
  } finally {
    db.close();
  }
}

/**
 * Checks a backup's retained copies once the tick has removed abandoned ones: at most
 * BACKUP_COPIES, each a complete version, the newest one the new version, and no directory
 * without its snapshot.
 */
async function checkRetainedCopies(scenario: KillScenario, server: ChildServer): Promise<void> {
  const query = `volume_id=${scenario.ids.replicaId}`;
  const snapshots = await waitFor(async () => {
    const list = await server.client.get('/v1/snapshots', { query });
    expect(list.status, list.text).toBe(200);
    const all = list.body.snapshots as Array<{ id: string; state: string; created_at: string }>;
    return all.every((s) => s.state === 'available') ? all : undefined;
  }, 'every retained copy to be available');
  expect(snapshots.length).toBeGreaterThanOrEqual(1);
  expect(snapshots.length).toBeLessThanOrEqual(BACKUP_COPIES);

  const regionRoot = path.join(scenario.dataDir, 'regions', 'kr-east1');
  const copiesDir = path.join(regionRoot, 'snapshots', scenario.ids.replicaId);
  expect((await readdir(copiesDir)).sort()).toEqual(snapshots.map((s) => s.id).sort());
  const newestFirst = [...snapshots].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const versions: string[] = [];
  for (const snapshot of newestFirst) {
    versions.push(await matchingVersion(scenario, path.join(copiesDir, snapshot.id)));
  }
  expect(versions[0], 'version of the newest retained copy').toBe('new');
}

async function runKillCase(killCase: KillCase, seed: number): Promise<void> {
  const { scenario, server } = await prepareKillScenario(killCase, seed);
  const outcome = await runUntilKilled(scenario, server, killCase.spec);
  if ('finishedStatus' in outcome) {
    const run = JSON.stringify(outcome.finishedStatus.last_run);
    expect(outcome.finishedStatus.last_run.state, `run without the kill: ${run}`).toBe('succeeded');
    const reachable = killCase.expected === 'either';
    expect(reachable, `kill point ${JSON.stringify(killCase.spec)} was never reached`).toBe(true);
  } else {
    checkKillReport(killCase, outcome.report, scenario);
  }
  if (killCase.bigFile === 'rewrite') {
    const workDir = path.join(scenario.dataDir, 'regions', 'kr-east1', '.scpfs', 'work');
    const staged = await largestFileSize(path.join(workDir, scenario.ids.replicationId, 'staging'));
    expect(staged, 'size of the staged copy of the large file').toBeLessThan(BIG_FILE_BYTES);
  }

  if (killCase.backup) {
    const states = snapshotStates(scenario).join(', ');
    process.stdout.write(`${killCase.name}: retained copies at the kill: ${states}\n`);
  }

  await writeFile(scenario.holdFile, '');
  const restarted = await startChild({ env: scenario.env });
  const version = await matchingVersion(scenario, scenario.ids.replicaPath);
  if (killCase.expected !== 'either') expect(version).toBe(killCase.expected);
  await checkConvergence(scenario, restarted);
  if (killCase.backup) await checkRetainedCopies(scenario, restarted);
  await killChild(restarted.process);
  await rm(scenario.base, { recursive: true, force: true });
}

describe.each(SEEDS)('SIGKILL during a run (seed %i)', (seed) => {
  it.each([...FIXED_KILL_CASES, ...randomKillCases(seed)])('$name', (killCase) =>
    runKillCase(killCase, seed),
  );
});

// ---------------------------------------------------------------------------------------------
// Failing runs

/** Waits for a failed run, then checks the status and that the replica kept `expectedCopy`. */
async function expectFailedRun(
  server: ChildServer,
  ids: ReplicationIds,
  expectedCopy: string,
): Promise<any> {
  const status = await runNow(server.client, ids);
  expect(status.last_run.state).toBe('failed');
  expect(status.replication_status).toBe('error');
  expect(typeof status.last_error).toBe('string');
  expect(status.last_run.error).toBe(status.last_error);
  await expectSameTree(expectedCopy, ids.replicaPath, 'replica after the failed run');
  return status;
}

async function expectConverged(server: ChildServer, ids: ReplicationIds): Promise<void> {
  const status = await runNow(server.client, ids);
  expect(status.last_run.state, status.last_error ?? '').toBe('succeeded');
  expect(status.replication_status).toBe('available');
  expect(status.last_error).toBeNull();
  await expectSameTree(ids.sourcePath, ids.replicaPath, 'replica after the next run');
}

describe('full replica file system', () => {
  const tmpfsBytes = 16 * 1024 * 1024;

  it('fails cleanly, then converges', async () => {
    const base = await makeTempDir('scpfs-faults-enospc-');
    const regionRoot = path.join(base, 'kr-east1');
    await mkdir(regionRoot);
    await run('mount', ['-t', 'tmpfs', '-o', `size=${tmpfsBytes}`, 'tmpfs', regionRoot]);
    mounts.push(regionRoot);
    const configFile = path.join(base, 'config.json');
    const regions = [{ name: 'kr-west1' }, { name: 'kr-east1', root: regionRoot }];
    await writeFile(configFile, JSON.stringify({ regions }));
    const env = { SCPFS_DATA_DIR: path.join(base, 'data'), SCPFS_CONFIG_FILE: configFile };
    const server = await startChild({ env });

    const source = await createReadyVolume(server.client, 'enospc_src');
    const summary = await generateRealisticTree(source.path, { files: 200, seed: 5 });
    expect(summary.bytes, 'baseline bytes').toBeLessThan(tmpfsBytes / 2);
    const ids = await createReplication(server.client, source);
    const previous = await saveCopy(source.path, path.join(base, 'previous'));

    await mutateTree(source.path, 6);
    const fill = path.join(source.path, 'fill.bin');
    await writeBigFile(fill, tmpfsBytes, 7);
    const status = await expectFailedRun(server, ids, previous);
    expect.soft(status.last_error, 'last_error names the reason').toMatch(/ENOSPC|no space/i);

    await rm(fill);
    await expectConverged(server, ids);
    expect(await workDirLeftovers(regionRoot, ids.replicationId)).toEqual([]);
    await killChild(server.process);
    await run('umount', [regionRoot]);
    mounts.splice(mounts.indexOf(regionRoot), 1);
  });
});

/** Gives the tree to `uid`, without following symlinks. */
async function chownTree(root: string, uid: number): Promise<void> {
  await run('chown', ['-hR', `${uid}:${uid}`, '--', root]);
}

/** Returns the first path that displays as plain ASCII, so that messages contain it verbatim. */
function plainPath(paths: readonly string[]): string {
  const found = paths.find((p) => /^[\x21-\x7e]+$/.test(p));
  if (found === undefined) throw new Error(`no plain ASCII path among ${paths.length}`);
  return found;
}

describe('unreadable source entries', () => {
  it('fails naming the entry, then converges', async () => {
    const base = await makeTempDir('scpfs-faults-unreadable-');
    await chmod(base, 0o755);
    const dataDir = path.join(base, 'data');
    await mkdir(dataDir);
    await chown(dataDir, NOBODY, NOBODY);
    const server = await startChild({ env: { SCPFS_DATA_DIR: dataDir }, uid: NOBODY });

    const source = await createReadyVolume(server.client, 'unreadable_src');
    await generateRealisticTree(source.path, { files: 300, seed: 8 });
    await chownTree(source.path, NOBODY);
    const ids = await createReplication(server.client, source);
    await expectSameTree(source.path, ids.replicaPath, 'replica after the baseline');
    const previous = await saveCopy(source.path, path.join(base, 'previous'));

    const report = await mutateTree(source.path, 9);
    await chownTree(source.path, NOBODY);
    const lockedFile = plainPath(report.modified);
    const fileMode = (await stat(path.join(source.path, lockedFile))).mode;
    await chmod(path.join(source.path, lockedFile), 0o000);
    const fileFailure = await expectFailedRun(server, ids, previous);
    expect(fileFailure.last_error).toContain(lockedFile);
    expect
      .soft(fileFailure.last_error, 'last_error names the reason')
      .toMatch(/EACCES|permission denied/i);
    await chmod(path.join(source.path, lockedFile), fileMode);
    await expectConverged(server, ids);

    const current = await saveCopy(source.path, path.join(base, 'current'));
    const entries = await readdir(source.path, { withFileTypes: true });
    const lockedDir = plainPath(entries.filter((e) => e.isDirectory()).map((e) => e.name));
    const dirMode = (await stat(path.join(source.path, lockedDir))).mode;
    await chmod(path.join(source.path, lockedDir), 0o000);
    const dirFailure = await expectFailedRun(server, ids, current);
    expect(dirFailure.last_error).toContain(lockedDir);
    await chmod(path.join(source.path, lockedDir), dirMode);
    await expectConverged(server, ids);
    await killChild(server.process);
  });
});
