import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { loadConfig, type Config } from '../src/config/config.js';
import { RegionStorage } from '../src/regions/region-storage.js';
import { findReplication } from '../src/replications/replication-repository.js';
import { ReplicationService } from '../src/replications/replication-service.js';
import { claimReplication } from '../src/runner/leases.js';
import { JobRunner } from '../src/runner/job-runner.js';
import { migrateToLatest, openSqlite } from '../src/store/db.js';
import type { Database } from '../src/store/schema.js';
import { VolumeService } from '../src/volumes/volume-service.js';

/** A clock that moves only when the test sets it. */
class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

const logger = pino({ level: 'silent' });
let dir: string;
let db: Kysely<Database>;
let config: Config;
let clock: ManualClock;
let regions: RegionStorage;
let gate: { release: () => void; wait: Promise<void> } | undefined;

function newGate() {
  let release = () => {};
  const wait = new Promise<void>((resolve) => (release = resolve));
  return { release, wait };
}

function newRunner(): JobRunner {
  return new JobRunner({
    db,
    config,
    clock,
    logger,
    regions,
    engineHooks: { beforeCommit: () => gate?.wait },
  });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scpfs-runner-'));
  config = loadConfig(
    { dataDir: dir },
    {},
    { retryBackoffMs: [60_000, 300_000], leaseTimeoutMs: 30_000 },
  );
  db = openSqlite(dir);
  await migrateToLatest(db);
  await db
    .insertInto('accounts')
    .values({ id: 'acc', name: 'default', created_at: '2026-01-01T00:00:00Z' })
    .execute();
  clock = new ManualClock(new Date('2026-05-04T10:02:00Z'));
  regions = new RegionStorage(config.regions);
  gate = undefined;
});

afterEach(async () => {
  gate?.release();
  await db.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** Creates an available source volume with one file and a 5-minute replication of it. */
async function createReplication(): Promise<{ id: string; sourceDir: string }> {
  const volumes = new VolumeService(db, clock, logger);
  const source = await volumes.create({
    accountId: 'acc',
    name: 'src',
    protocol: 'NFS',
    typeName: 'HDD',
    region: 'kr-west1',
  });
  const sourceDir = regions.volumePath('kr-west1', source.id);
  await mkdir(sourceDir, { recursive: true });
  await writeFile(path.join(sourceDir, 'a.txt'), 'a');
  await db.updateTable('volumes').set({ state: 'available' }).where('id', '=', source.id).execute();
  const service = new ReplicationService(db, config, volumes, clock, logger);
  const view = await service.create({
    accountId: 'acc',
    name: 'dst',
    region: 'kr-east1',
    frequency: '5min',
    type: 'replication',
    sourceVolumeId: source.id,
  });
  return { id: view.replication.id, sourceDir };
}

async function runCount(id: string, state?: string): Promise<number> {
  let query = db
    .selectFrom('replication_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('replication_id', '=', id);
  if (state) query = query.where('state', '=', state);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

async function tickAndSettle(runner: JobRunner): Promise<void> {
  await runner.tick();
  await runner.idle();
}

describe('JobRunner with an injected clock', () => {
  it('runs the baseline at once and schedules the next 5-minute tick', async () => {
    const { id } = await createReplication();
    await tickAndSettle(newRunner());
    const replication = await findReplication(db, id);
    expect(replication?.status).toBe('available');
    expect(replication?.lastReplicatedAt).toBe('2026-05-04T10:02:00.000Z');
    expect(replication?.nextRunAt).toBe('2026-05-04T10:05:00.000Z');
  });

  it('runs nothing before the next tick', async () => {
    const { id } = await createReplication();
    const runner = newRunner();
    await tickAndSettle(runner);
    clock.set('2026-05-04T10:04:59Z');
    await tickAndSettle(runner);
    expect(await runCount(id)).toBe(1);
  });

  it('coalesces ticks missed during downtime into one run', async () => {
    const { id } = await createReplication();
    const runner = newRunner();
    await tickAndSettle(runner);
    clock.set('2026-05-04T13:07:30Z');
    await tickAndSettle(runner);
    await tickAndSettle(runner);
    expect(await runCount(id, 'succeeded')).toBe(2);
    expect((await findReplication(db, id))?.nextRunAt).toBe('2026-05-04T13:10:00.000Z');
  });

  it('skips a tick while a transfer is running', async () => {
    const { id } = await createReplication();
    const runner = newRunner();
    gate = newGate();
    await runner.tick();
    clock.set('2026-05-04T10:06:00Z');
    await runner.tick();
    clock.set('2026-05-04T10:11:00Z');
    await runner.tick();
    expect(await runCount(id)).toBe(1);
    gate.release();
    await runner.idle();
    expect(await runCount(id, 'succeeded')).toBe(1);
    expect((await findReplication(db, id))?.nextRunAt).toBe('2026-05-04T10:15:00.000Z');
  });

  it('never runs one replication on two runners at once', async () => {
    const { id } = await createReplication();
    gate = newGate();
    const first = newRunner();
    const second = newRunner();
    await first.tick();
    await second.tick();
    expect(await runCount(id)).toBe(1);
    expect(await claimReplication(db, id, 'third', clock.now(), 30_000)).toBe(false);
    gate.release();
    await first.idle();
  });

  it('takes over a lease that expired with its worker', async () => {
    const { id } = await createReplication();
    expect(await claimReplication(db, id, 'dead-worker', clock.now(), 30_000)).toBe(true);
    const runner = newRunner();
    await tickAndSettle(runner);
    expect(await runCount(id)).toBe(0);
    clock.set('2026-05-04T10:02:31Z');
    await tickAndSettle(runner);
    expect(await runCount(id, 'succeeded')).toBe(1);
  });

  it('sets error and retries with backoff until a run succeeds', async () => {
    const { id, sourceDir } = await createReplication();
    const hidden = `${sourceDir}.hidden`;
    await rename(sourceDir, hidden);
    const runner = newRunner();
    await tickAndSettle(runner);
    let replication = await findReplication(db, id);
    expect(replication?.status).toBe('error');
    expect(replication?.lastError).toBeTruthy();
    expect(replication?.nextRunAt).toBe('2026-05-04T10:03:00.000Z');

    clock.set('2026-05-04T10:03:00Z');
    await tickAndSettle(runner);
    replication = await findReplication(db, id);
    expect(replication?.consecutiveFailures).toBe(2);
    expect(replication?.nextRunAt).toBe('2026-05-04T10:08:00.000Z');

    await rename(hidden, sourceDir);
    clock.set('2026-05-04T10:08:00Z');
    await tickAndSettle(runner);
    replication = await findReplication(db, id);
    expect(replication?.status).toBe('available');
    expect(replication?.consecutiveFailures).toBe(0);
    expect(replication?.lastError).toBeNull();
    expect(await runCount(id, 'failed')).toBe(2);
  });

  it('lets a running transfer finish after a pause and then runs nothing', async () => {
    const { id } = await createReplication();
    const runner = newRunner();
    gate = newGate();
    await runner.tick();
    await db.updateTable('replications').set({ policy: 'paused' }).where('id', '=', id).execute();
    gate.release();
    await runner.idle();
    expect(await runCount(id, 'succeeded')).toBe(1);
    clock.set('2026-05-04T11:00:00Z');
    await tickAndSettle(runner);
    expect(await runCount(id)).toBe(1);
  });

  it('runs again after a transfer when a run was requested during it', async () => {
    const { id } = await createReplication();
    const runner = newRunner();
    gate = newGate();
    await runner.tick();
    clock.set('2026-05-04T10:02:10Z');
    await db
      .updateTable('replications')
      .set({ next_run_at: clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    gate.release();
    await runner.idle();
    expect((await findReplication(db, id))?.nextRunAt).toBe('2026-05-04T10:02:10.000Z');
    await tickAndSettle(runner);
    expect(await runCount(id, 'succeeded')).toBe(2);
  });
});
