import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { TransferProgress } from '../dataplane/replicate.js';
import type { Database } from '../store/schema.js';

const WRITE_EVERY_MS = 500;

/**
 * Writes a run's transfer progress into its row at most every 500 ms, so the status extension can
 * report it from any API node. Failed writes are logged and dropped: progress is advisory.
 */
export class RunProgressRecorder {
  #lastWrite = 0;
  #pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly runId: string,
    private readonly log: Logger,
  ) {}

  readonly onProgress = (progress: TransferProgress): void => {
    const now = Date.now();
    if (now - this.#lastWrite < WRITE_EVERY_MS && progress.filesDone < progress.filesTotal) return;
    this.#lastWrite = now;
    this.#pending = this.#pending.then(() => this.#write(progress));
  };

  /** Waits for the last progress write, so it cannot overwrite the final row. */
  flush(): Promise<void> {
    return this.#pending;
  }

  async #write(progress: TransferProgress): Promise<void> {
    try {
      await this.db
        .updateTable('replication_runs')
        .set({
          files_total: progress.filesTotal,
          bytes_total: progress.bytesTotal,
          files_done: progress.filesDone,
          bytes_done: progress.bytesDone,
        })
        .where('id', '=', this.runId)
        .where('state', '=', 'running')
        .execute();
    } catch (err) {
      this.log.warn({ err, runId: this.runId }, 'run progress write failed');
    }
  }
}
