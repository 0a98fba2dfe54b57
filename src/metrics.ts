import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from './clock.js';
import { replicationHealth } from './replications/replication-health.js';
import { replicationFromRow } from './replications/replication.js';
import type { Database } from './store/schema.js';

const LABELS = ['replication_id'] as const;

/** Prometheus metrics of replication: lag, run durations, transferred bytes and files, failures. */
export class ReplicationMetrics {
  readonly registry = new Registry();
  readonly #runDuration = new Histogram({
    name: 'scpfs_replication_run_duration_seconds',
    help: 'Duration of finished replication runs in seconds.',
    labelNames: [...LABELS, 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });
  readonly #bytes = new Counter({
    name: 'scpfs_replication_bytes_transferred_total',
    help: 'Bytes copied into replicas by committed runs.',
    labelNames: LABELS,
    registers: [this.registry],
  });
  readonly #files = new Counter({
    name: 'scpfs_replication_files_transferred_total',
    help: 'Files copied into replicas by committed runs.',
    labelNames: LABELS,
    registers: [this.registry],
  });
  readonly #failures = new Counter({
    name: 'scpfs_replication_failures_total',
    help: 'Replication runs that failed.',
    labelNames: LABELS,
    registers: [this.registry],
  });

  constructor(db: Kysely<Database>, clock: Clock) {
    collectDefaultMetrics({ register: this.registry, prefix: 'scpfs_' });
    new Gauge({
      name: 'scpfs_replication_lag_seconds',
      help: 'Seconds since the source state of the last committed run; absent before the baseline.',
      labelNames: LABELS,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db.selectFrom('replications').selectAll().execute();
        for (const row of rows) {
          const { lagSeconds } = replicationHealth(replicationFromRow(row), clock.now());
          if (lagSeconds !== null) this.set({ replication_id: row.id }, lagSeconds);
        }
      },
    });
  }

  recordSuccess(replicationId: string, durationMs: number, files: number, bytes: number): void {
    this.#runDuration.observe(
      { replication_id: replicationId, outcome: 'succeeded' },
      durationMs / 1000,
    );
    this.#files.inc({ replication_id: replicationId }, files);
    this.#bytes.inc({ replication_id: replicationId }, bytes);
  }

  recordFailure(replicationId: string, durationMs: number): void {
    this.#runDuration.observe(
      { replication_id: replicationId, outcome: 'failed' },
      durationMs / 1000,
    );
    this.#failures.inc({ replication_id: replicationId });
  }
}
