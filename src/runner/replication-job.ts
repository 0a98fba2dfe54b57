import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Kysely, Updateable } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import {
  recoverReplica,
  replicateTree,
  type RunStats,
  type TransferProgress,
} from '../dataplane/replicate.js';
import type { EngineHooks } from '../dataplane/hooks.js';
import type { ReplicationMetrics } from '../metrics.js';
import type { RegionStorage } from '../regions/region-storage.js';
import { findReplication, updateReplication } from '../replications/replication-repository.js';
import type { Replication } from '../replications/replication.js';
import type { Database, ReplicationTable } from '../store/schema.js';
import { findVolumeById, updateVolumeUsage } from '../volumes/volume-repository.js';
import type { Volume } from '../volumes/volume.js';
import { captureRetainedCopy } from '../snapshots/index.js';
import { DEFAULT_BACKUP_RETENTION } from '../replications/replication-service.js';
import { renewLease } from './leases.js';
import { RunProgressRecorder } from './run-progress.js';
import { nextRunAt, retryDelayMs } from './schedule.js';

export interface JobDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  logger: Logger;
  regions: RegionStorage;
  owner: string;
  /** Fault-injection hooks passed to every transfer; tests only. */
  engineHooks?: EngineHooks;
  metrics?: ReplicationMetrics;
}

/** Outcome of one run, for the status transition that ends it. */
type RunOutcome =
  | { kind: 'succeeded'; stats: RunStats }
  | { kind: 'failed'; error: Error }
  | { kind: 'interrupted' };

/**
 * Runs one claimed replication: recover any interrupted commit, transfer and commit, then record
 * the run and schedule the next one. The caller holds the lease; this releases it.
 */
export async function runReplication(
  deps: JobDeps,
  replicationId: string,
  signal: AbortSignal,
): Promise<void> {
  const replication = await findReplication(deps.db, replicationId);
  if (!replication) return;
  const [source, target] = await Promise.all([
    findVolumeById(deps.db, replication.sourceVolumeId),
    findVolumeById(deps.db, replication.targetVolumeId),
  ]);
  const runId = randomUUID();
  const log = deps.logger.child({
    replicationId,
    runId,
    sourceRegion: source?.region,
    targetRegion: target?.region,
  });
  const startedAt = deps.clock.now();
  await startRun(deps, replication, runId, startedAt);
  log.info({ status: statusWhileRunning(replication) }, 'replication run started');

  const renewal = keepLeaseAlive(deps, replicationId, log);
  const progress = new RunProgressRecorder(deps.db, runId, log);
  const job = { source, target, replication, signal, log, onProgress: progress.onProgress };
  const outcome = await transfer(deps, job).finally(() => clearInterval(renewal));
  await progress.flush();
  await finishRun(deps, replication, runId, startedAt, outcome);
  recordMetrics(deps, replicationId, startedAt, outcome);
  logOutcome(log, outcome);
}

/** The volumes, replication and callbacks of one transfer. */
interface TransferJob {
  source: Volume | undefined;
  target: Volume | undefined;
  replication: Replication;
  signal: AbortSignal;
  log: Logger;
  onProgress: (progress: TransferProgress) => void;
}

async function transfer(deps: JobDeps, job: TransferJob): Promise<RunOutcome> {
  const { source, target, replication, signal, log } = job;
  try {
    if (!source || !target) throw new Error('source or replica volume no longer exists');
    const sourceDir = deps.regions.volumePath(source.region, source.id);
    const targetDir = deps.regions.volumePath(target.region, target.id);
    const workDir = deps.regions.replicationWorkDir(target.region, replication.id);
    await mkdir(targetDir, { recursive: true });
    await mkdir(workDir, { recursive: true });
    await recoverReplica(workDir, targetDir, log);
    const stats = await replicateTree({
      sourceDir,
      targetDir,
      workDir,
      logger: log,
      signal,
      hooks: deps.engineHooks,
      onProgress: job.onProgress,
    });
    if (replication.type === 'backup') await keepBackupCopy(deps, target, replication, signal);
    return { kind: 'succeeded', stats };
  } catch (err) {
    if (signal.aborted) return { kind: 'interrupted' };
    return { kind: 'failed', error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/**
 * Keeps the committed backup as a retained point-in-time copy of the target volume, then prunes
 * the oldest copies beyond `backup_retention_count`. A failed capture fails the run, which is
 * retried; the replica itself stays committed.
 */
async function keepBackupCopy(
  deps: JobDeps,
  target: Volume,
  replication: Replication,
  signal: AbortSignal,
): Promise<void> {
  const current = (await findReplication(deps.db, replication.id)) ?? replication;
  const keep = current.backupRetentionCount ?? DEFAULT_BACKUP_RETENTION;
  await captureRetainedCopy(deps, target, { kind: 'backup', keep, signal });
}

function statusWhileRunning(replication: Replication): 'creating' | 'replicating' {
  return replication.lastReplicatedAt === null ? 'creating' : 'replicating';
}

async function startRun(
  deps: JobDeps,
  replication: Replication,
  runId: string,
  startedAt: Date,
): Promise<void> {
  await deps.db
    .insertInto('replication_runs')
    .values({
      id: runId,
      replication_id: replication.id,
      state: 'running',
      started_at: startedAt.toISOString(),
    })
    .execute();
  await updateReplication(deps.db, replication.id, {
    status: statusWhileRunning(replication),
    updated_at: startedAt.toISOString(),
  });
}

/**
 * Ends a run. Success makes the replication `available` and schedules the next tick after now,
 * so ticks missed while the transfer ran are skipped. Failure sets `error` and retries after the
 * backoff. An interrupted run (server stopping) stays due, so it resumes after a restart.
 */
async function finishRun(
  deps: JobDeps,
  started: Replication,
  runId: string,
  startedAt: Date,
  outcome: RunOutcome,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('replication_runs')
      .set(runRowChanges(outcome, now))
      .where('id', '=', runId)
      .execute();
    // Re-read, so a frequency changed or a delete accepted during the run is respected.
    const current = (await findReplication(trx, started.id)) ?? started;
    const release = { lease_owner: null, lease_expires_at: null, updated_at: now.toISOString() };
    if (current.status === 'deleting') return updateReplication(trx, started.id, release);
    const changes = replicationChanges(
      deps,
      { ...current, status: started.status },
      outcome,
      startedAt,
      now,
    );
    // A "replicate now" request during the run moved next_run_at forward: keep it due.
    if (current.nextRunAt !== started.nextRunAt && outcome.kind !== 'interrupted') {
      changes.next_run_at = current.nextRunAt;
    }
    await updateReplication(trx, started.id, { ...changes, ...release });
    if (outcome.kind === 'succeeded') {
      for (const volumeId of [started.sourceVolumeId, started.targetVolumeId]) {
        await updateVolumeUsage(trx, volumeId, outcome.stats.sourceBytes);
      }
    }
  });
}

function runRowChanges(outcome: RunOutcome, now: Date) {
  const base = { state: outcome.kind, finished_at: now.toISOString() };
  if (outcome.kind === 'failed') return { ...base, error: outcome.error.message };
  if (outcome.kind === 'interrupted') return base;
  const s = outcome.stats;
  return {
    ...base,
    duration_ms: Math.round(s.durationMs),
    entries_scanned: s.entriesScanned,
    files_copied: s.filesCopied,
    bytes_copied: s.bytesCopied,
    entries_deleted: s.entriesDeleted,
  };
}

function replicationChanges(
  deps: JobDeps,
  replication: Replication,
  outcome: RunOutcome,
  startedAt: Date,
  now: Date,
): Updateable<ReplicationTable> {
  const { config } = deps;
  if (outcome.kind === 'interrupted') return { status: replication.status };
  if (outcome.kind === 'failed') {
    const failures = replication.consecutiveFailures + 1;
    const retryAt = new Date(now.getTime() + retryDelayMs(failures, config.retryBackoffMs));
    return {
      status: 'error',
      last_error: outcome.error.message,
      consecutive_failures: failures,
      next_run_at: retryAt.toISOString(),
    };
  }
  return {
    status: 'available',
    last_error: null,
    consecutive_failures: 0,
    last_replicated_at: startedAt.toISOString(),
    next_run_at: nextRunAt(replication.frequency, now, config.timeZone).toISOString(),
  };
}

function keepLeaseAlive(deps: JobDeps, replicationId: string, log: Logger): NodeJS.Timeout {
  const every = Math.max(Math.floor(deps.config.leaseTimeoutMs / 3), 100);
  return setInterval(() => {
    renewLease(
      deps.db,
      replicationId,
      deps.owner,
      deps.clock.now(),
      deps.config.leaseTimeoutMs,
    ).then(
      (held) => held || log.warn('replication lease lost to another worker'),
      (err: unknown) => log.error({ err }, 'replication lease renewal failed'),
    );
  }, every);
}

function recordMetrics(
  deps: JobDeps,
  replicationId: string,
  startedAt: Date,
  outcome: RunOutcome,
): void {
  const durationMs = deps.clock.now().getTime() - startedAt.getTime();
  if (outcome.kind === 'succeeded') {
    const { filesCopied, bytesCopied } = outcome.stats;
    deps.metrics?.recordSuccess(replicationId, durationMs, filesCopied, bytesCopied);
  } else if (outcome.kind === 'failed') {
    deps.metrics?.recordFailure(replicationId, durationMs);
  }
}

function logOutcome(log: Logger, outcome: RunOutcome): void {
  if (outcome.kind === 'succeeded') log.info({ stats: outcome.stats }, 'replication run committed');
  else if (outcome.kind === 'failed') log.error({ err: outcome.error }, 'replication run failed');
  else log.info('replication run interrupted');
}
