import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { recoverReplica } from '../dataplane/replicate.js';
import type { JobDeps } from './replication-job.js';
import { runReplication } from './replication-job.js';
import { claimReplication, listDueReplicationIds, releaseStaleLeases } from './leases.js';
import { endDeletedReplications } from './replication-endings.js';
import { runSnapshotJobs } from './snapshot-jobs.js';
import { provisionVolumes, removeDeletedVolumes } from './volume-jobs.js';
import { findVolumeById } from '../volumes/volume-repository.js';

const MAX_CONCURRENT_RUNS = 2;

/**
 * The in-process job runner of the embedded mode: on every tick it provisions and removes
 * volumes and starts due replication runs under a lease. State lives in the database, so work
 * interrupted by a stop or a crash is picked up again after a restart.
 */
export class JobRunner {
  readonly #deps: JobDeps;
  readonly #log: Logger;
  readonly #running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Aborts the snapshot job of the tick in progress when the runner stops. */
  #stopping = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;

  constructor(deps: Omit<JobDeps, 'owner'>) {
    this.#deps = { ...deps, owner: `runner-${randomUUID()}` };
    this.#log = deps.logger.child({ component: 'runner' });
  }

  /** Releases leases of a previous process, rolls interrupted commits forward, then ticks. */
  async start(): Promise<void> {
    this.#stopping = new AbortController();
    await releaseStaleLeases(this.#deps.db, this.#deps.clock.now());
    await this.#recoverAll();
    this.#timer = setInterval(() => void this.tick(), this.#deps.config.runnerIntervalMs);
    void this.tick();
  }

  /** Stops ticking and aborts running transfers; the last committed replicas stay intact. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopping.abort();
    await this.#ticking;
    for (const run of this.#running.values()) run.abort.abort();
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  /** Runs one pass over the work. Overlapping calls share the pass in progress. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tickOnce().finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  /** Waits for every run started so far to end. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  async #tickOnce(): Promise<void> {
    try {
      await provisionVolumes(this.#deps);
      await endDeletedReplications(this.#deps);
      await removeDeletedVolumes(this.#deps);
      await runSnapshotJobs(this.#deps, this.#stopping.signal);
      await this.#startDueRuns();
    } catch (err) {
      this.#log.error({ err }, 'runner tick failed; retrying on the next tick');
    }
  }

  async #startDueRuns(): Promise<void> {
    const free = MAX_CONCURRENT_RUNS - this.#running.size;
    if (free <= 0) return;
    const { db, clock, config } = this.#deps;
    for (const id of await listDueReplicationIds(db, clock.now(), free)) {
      if (this.#running.has(id)) continue;
      if (!(await claimReplication(db, id, this.#deps.owner, clock.now(), config.leaseTimeoutMs)))
        continue;
      this.#launch(id);
    }
  }

  #launch(replicationId: string): void {
    const abort = new AbortController();
    const done = runReplication(this.#deps, replicationId, abort.signal)
      .catch((err: unknown) => this.#log.error({ err, replicationId }, 'replication run crashed'))
      .finally(() => this.#running.delete(replicationId));
    this.#running.set(replicationId, { abort, done });
  }

  async #recoverAll(): Promise<void> {
    const rows = await this.#deps.db
      .selectFrom('replications')
      .select(['id', 'target_volume_id'])
      .execute();
    for (const row of rows) {
      const target = await findVolumeById(this.#deps.db, row.target_volume_id);
      if (!target) continue;
      const log = this.#log.child({ replicationId: row.id });
      const { regions } = this.#deps;
      try {
        const outcome = await recoverReplica(
          regions.replicationWorkDir(target.region, row.id),
          regions.volumePath(target.region, target.id),
          log,
        );
        if (outcome !== 'clean') log.info({ outcome }, 'replica recovered at start-up');
      } catch (err) {
        log.error({ err }, 'replica recovery failed at start-up');
      }
    }
  }
}
