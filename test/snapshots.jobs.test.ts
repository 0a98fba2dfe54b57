import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegionStorage } from '../src/regions/region-storage.js';
import { runSnapshotJobs } from '../src/runner/snapshot-jobs.js';
import type { SnapshotDeps } from '../src/snapshots/deps.js';
import { captureRetainedCopy, removeVolumeSnapshots } from '../src/snapshots/index.js';
import { SnapshotScheduleService } from '../src/snapshots/schedule-service.js';
import { snapshotDir } from '../src/snapshots/snapshot-paths.js';
import { SnapshotService } from '../src/snapshots/snapshot-service.js';
import type { Snapshot } from '../src/snapshots/snapshot.js';
import { migrateToLatest, openSqlite } from '../src/store/db.js';
import type { Database } from '../src/store/schema.js';
import { VolumeService } from '../src/volumes/volume-service.js';
import type { Volume } from '../src/volumes/volume.js';
import { compareTrees, formatDifferences } from './support/compare-trees.js';
import { silentLogger } from './support/replication-dirs.js';
import { dir, file, writeTree } from './support/tree.js';

const ACCOUNT = 'account-1';
const clock = { now: () => new Date() };
const logger = silentLogger();

let base: string;
let db: Kysely<Database>;
let deps: SnapshotDeps;
let volumes: VolumeService;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'scpfs-snapshot-jobs-'));
  db = openSqlite(base);
  await migrateToLatest(db);
  const nowIso = new Date().toISOString();
  await db
    .insertInto('accounts')
    .values({ id: ACCOUNT, name: 'default', created_at: nowIso })
    .execute();
  const regions = new RegionStorage([
    { name: 'kr-west1', root: path.join(base, 'regions', 'kr-west1') },
  ]);
  deps = { db, config: { timeZone: 'Asia/Seoul' }, clock, logger, regions, owner: 'runner-test' };
  volumes = new VolumeService(db, clock, logger);
});
afterEach(async () => {
  await db.destroy();
  await rm(base, { recursive: true, force: true });
});

/** Creates an `available` volume whose directory contains `files`. */
async function readyVolume(name: string, files: Record<string, string> = {}): Promise<Volume> {
  const created = await volumes.create({
    accountId: ACCOUNT,
    name,
    protocol: 'NFS',
    typeName: 'HDD',
    region: 'kr-west1',
  });
  const volumePath = volumeDir(created);
  await mkdir(volumePath, { recursive: true });
  await writeTree(
    volumePath,
    Object.fromEntries(Object.entries(files).map(([k, v]) => [k, file(v)])),
  );
  await setVolumeState(created.id, 'available');
  return { ...created, state: 'available' };
}

function volumeDir(volume: Volume): string {
  return deps.regions.volumePath(volume.region, volume.id);
}

async function setVolumeState(id: string, state: string): Promise<void> {
  await db.updateTable('volumes').set({ state }).where('id', '=', id).execute();
}

async function snapshotsOf(volumeId: string) {
  return db
    .selectFrom('snapshots')
    .select(['id', 'kind', 'state', 'job_owner'])
    .where('volume_id', '=', volumeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

function pass(signal = new AbortController().signal): Promise<void> {
  return runSnapshotJobs(deps, signal);
}

async function expectSameTree(a: string, b: string): Promise<void> {
  const differences = await compareTrees(a, b, { mtimeToleranceNs: 1000n });
  expect(differences, formatDifferences(differences)).toEqual([]);
}

/** Waits until the coarse kernel clock behind ctime has certainly moved on. */
function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 30));
}

describe('captureRetainedCopy', () => {
  it('captures an available copy and keeps the newest backups', async () => {
    const volume = await readyVolume('backup_target', { 'a.txt': 'one', 'same.txt': 'same' });
    const manual = await new SnapshotService(db, deps.config, clock, logger).create(
      ACCOUNT,
      volume.id,
    );
    const copies: Snapshot[] = [];
    for (let run = 1; run <= 4; run++) {
      await tick();
      await writeFile(path.join(volumeDir(volume), 'a.txt'), `run ${run}`);
      const copy = await captureRetainedCopy(deps, volume, { kind: 'backup', keep: 2 });
      expect(copy.state).toBe('available');
      expect(copy.kind).toBe('backup');
      expect(copy.sizeBytes).toBe(`run ${run}`.length + 4);
      copies.push(copy);
    }

    const rows = await snapshotsOf(volume.id);
    expect(rows.map((r) => r.id)).toEqual([manual.id, copies[2]!.id, copies[3]!.id]);
    expect(rows.find((r) => r.id === manual.id)?.state).toBe('creating');
    for (const pruned of copies.slice(0, 2)) {
      await expect(stat(snapshotDir(deps.regions, pruned))).rejects.toThrow(/ENOENT/);
    }
    const newest = snapshotDir(deps.regions, copies[3]!);
    expect(await readFile(path.join(newest, 'a.txt'), 'utf8')).toBe('run 4');
    await expectSameTree(volumeDir(volume), newest);
  });

  it('hard-links unchanged files between copies', async () => {
    const volume = await readyVolume('linked', { 'same.txt': 'unchanged' });
    await tick();
    const first = await captureRetainedCopy(deps, volume, { kind: 'backup', keep: 5 });
    const second = await captureRetainedCopy(deps, volume, { kind: 'backup', keep: 5 });
    const inode = async (s: Snapshot) =>
      (await lstat(path.join(snapshotDir(deps.regions, s), 'same.txt'))).ino;
    expect(await inode(second)).toBe(await inode(first));
  });

  it('keeps nothing when the capture fails', async () => {
    const volume = await readyVolume('broken');
    await rm(volumeDir(volume), { recursive: true });
    await expect(captureRetainedCopy(deps, volume, { kind: 'backup', keep: 2 })).rejects.toThrow();
    expect(await snapshotsOf(volume.id)).toEqual([]);
  });
});

describe('runSnapshotJobs', () => {
  it('leaves a capture this process runs inline to its caller', async () => {
    const volume = await readyVolume('inline', { 'a.txt': 'abc' });
    const copy = await captureRetainedCopy(deps, volume, { kind: 'backup', keep: 2 });
    await db
      .updateTable('snapshots')
      .set({ state: 'creating', job_owner: deps.owner })
      .where('id', '=', copy.id)
      .execute();
    await pass();
    const [row] = await snapshotsOf(volume.id);
    expect(row).toMatchObject({ state: 'creating', job_owner: deps.owner });
  });

  it('removes a capture abandoned by a stopped process', async () => {
    const volume = await readyVolume('abandoned', { 'a.txt': 'abc' });
    const copy = await captureRetainedCopy(deps, volume, { kind: 'backup', keep: 2 });
    await db
      .updateTable('snapshots')
      .set({ state: 'creating', job_owner: 'runner-dead' })
      .where('id', '=', copy.id)
      .execute();
    await pass();
    await pass();
    expect(await snapshotsOf(volume.id)).toEqual([]);
    await expect(stat(snapshotDir(deps.regions, copy))).rejects.toThrow(/ENOENT/);
  });

  it('fires a due schedule only while the volume is available', async () => {
    const volume = await readyVolume('deferred', { 'a.txt': 'abc' });
    const schedules = new SnapshotScheduleService(db, deps.config, clock, logger);
    await schedules.create(ACCOUNT, volume.id, { frequency: 'DAILY', hour: '3' }, 2);
    await db
      .updateTable('snapshot_schedules')
      .set({ next_run_at: new Date(0).toISOString() })
      .execute();

    await setVolumeState(volume.id, 'restoring');
    await pass();
    expect(await snapshotsOf(volume.id)).toEqual([]);

    await setVolumeState(volume.id, 'available');
    await pass();
    const rows = await snapshotsOf(volume.id);
    expect(rows).toMatchObject([{ kind: 'scheduled', state: 'available' }]);
  });

  it('resumes a restore interrupted before its commit', async () => {
    const volume = await readyVolume('interrupted', { 'a.txt': 'snapshot content' });
    const snapshots = new SnapshotService(db, deps.config, clock, logger);
    const snapshot = await snapshots.create(ACCOUNT, volume.id);
    await pass();
    await writeTree(volumeDir(volume), {
      'a.txt': file('newer'),
      extra: dir({ 'b.txt': file('b') }),
    });
    await snapshots.restore(ACCOUNT, volume.id, snapshot.id);

    const abort = new AbortController();
    deps.engineHooks = { beforeCommit: () => abort.abort() };
    await pass(abort.signal);
    expect(await readFile(path.join(volumeDir(volume), 'a.txt'), 'utf8')).toBe('newer');
    expect((await snapshotsOf(volume.id))[0]?.state).toBe('restoring');

    deps.engineHooks = undefined;
    await pass();
    await expectSameTree(snapshotDir(deps.regions, snapshot), volumeDir(volume));
    expect((await snapshotsOf(volume.id))[0]?.state).toBe('available');
    const row = await db
      .selectFrom('volumes')
      .select('state')
      .where('id', '=', volume.id)
      .executeTakeFirst();
    expect(row?.state).toBe('available');
  });

  it('completes a restore whose commit failed halfway', async () => {
    const volume = await readyVolume('halfway', { 'a.txt': 'old', 'b.txt': 'old' });
    const snapshots = new SnapshotService(db, deps.config, clock, logger);
    const snapshot = await snapshots.create(ACCOUNT, volume.id);
    await pass();
    await writeTree(volumeDir(volume), {
      'a.txt': file('newer!'),
      'b.txt': file('newer!'),
      'c.txt': file('c'),
    });
    await snapshots.restore(ACCOUNT, volume.id, snapshot.id);

    deps.engineHooks = {
      afterCommitOp: (index) => {
        if (index === 0) throw new Error('simulated failure after the first commit step');
      },
    };
    await pass();
    deps.engineHooks = undefined;

    await expectSameTree(snapshotDir(deps.regions, snapshot), volumeDir(volume));
    const row = await db
      .selectFrom('volumes')
      .select('state')
      .where('id', '=', volume.id)
      .executeTakeFirst();
    expect(row?.state).toBe('available');
  });
});

describe('removeVolumeSnapshots', () => {
  it('removes snapshots, schedules, the policy and work directories', async () => {
    const volume = await readyVolume('removed', { 'a.txt': 'abc' });
    await captureRetainedCopy(deps, volume, { kind: 'backup', keep: 2 });
    const schedules = new SnapshotScheduleService(db, deps.config, clock, logger);
    await schedules.create(ACCOUNT, volume.id, { frequency: 'DAILY', hour: '3' }, 2);
    const workDir = path.join(
      deps.regions.root('kr-west1'),
      '.scpfs',
      'work',
      `restore-${volume.id}`,
    );
    await mkdir(workDir, { recursive: true });

    await removeVolumeSnapshots(deps, volume);

    expect(await snapshotsOf(volume.id)).toEqual([]);
    expect(await db.selectFrom('snapshot_schedules').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('snapshot_policies').selectAll().execute()).toEqual([]);
    await expect(
      stat(path.join(deps.regions.root('kr-west1'), 'snapshots', volume.id)),
    ).rejects.toThrow(/ENOENT/);
    await expect(stat(workDir)).rejects.toThrow(/ENOENT/);
    await removeVolumeSnapshots(deps, volume);
  });
});
