import type { Command } from 'commander';
import type { ScpResponse } from '../client.js';
import { CliError } from '../errors.js';
import type { MessageKey } from '../messages.js';
import { ProgressDisplay } from '../progress.js';
import type { Session } from '../session.js';
import { pollUntil } from '../wait.js';
import { pollClock, printFields, sessionFor, type CommandDeps } from './deps.js';
import { waitTimeoutError } from './polling.js';
import {
  describeFinishedRun,
  extensionPath,
  readStatus,
  type RunBody,
  type StatusBody,
} from './replication-status.js';

interface SyncOptions {
  volumeId: string;
  wait?: boolean;
}

/**
 * Phase of the requested run: `queued` until a run starts at or after the sync time, `running`
 * while it transfers, then the state it finished in. `paused` means that no run will start.
 */
export type SyncPhase = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'paused';

const PHASE_NOTES: Partial<Record<SyncPhase, MessageKey>> = {
  queued: 'progress.syncQueued',
  running: 'progress.syncRunning',
  interrupted: 'progress.syncInterrupted',
};

/** Adds `replication sync`. */
export function registerReplicationSyncCommand(replication: Command, deps: CommandDeps): void {
  const m = deps.messages;
  replication
    .command('sync')
    .description(m.t('cmd.replicationSync'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .option('--wait', m.t('opt.waitSync'))
    .action((replicationId: string, options: SyncOptions, command: Command) =>
      syncReplication(sessionFor(command, deps), replicationId, options),
    );
}

/**
 * Requests a run now. With --wait, shows the transfer's progress on stderr and returns once a run
 * that started at or after the request has succeeded, printing the final status in json format.
 */
export async function syncReplication(
  session: Session,
  replicationId: string,
  options: SyncOptions,
): Promise<void> {
  const requestedAt = session.context.now();
  const query = { volume_id: options.volumeId };
  const response = await session.call('POST', extensionPath(replicationId, 'sync'), { query });
  if (!options.wait) {
    printFields(session, response);
    return;
  }
  const syncAt = syncTime(response.body, requestedAt);
  const final = await waitForRequestedRun(session, replicationId, options.volumeId, syncAt);
  session.printResult(final, () => {
    const run = describeFinishedRun(
      (final.body as StatusBody).last_run as RunBody,
      session.messages,
    );
    return session.messages.t('result.syncDone', { id: replicationId, run });
  });
}

/**
 * Returns the sync time in Unix milliseconds: the server's `next_run_at`, which is the server's
 * clock at the request, so runs are compared on one clock. Falls back to the client's clock.
 */
export function syncTime(body: unknown, requestedAt: number): number {
  const nextRunAt = Date.parse(String((body as { next_run_at?: unknown })?.next_run_at));
  return Number.isNaN(nextRunAt) ? requestedAt : nextRunAt;
}

/** Returns the phase of the run requested at `syncAt`, from one status reading. */
export function syncPhase(status: StatusBody, syncAt: number): SyncPhase {
  if (startedSince(status.current_run, syncAt)) return 'running';
  const last = status.last_run;
  if (last && startedSince(last, syncAt)) return last.state as SyncPhase;
  if (status.replication_policy === 'paused') return 'paused';
  return 'queued';
}

function startedSince(run: RunBody | null, syncAt: number): run is RunBody {
  return run !== null && Date.parse(run.started_at) >= syncAt;
}

async function waitForRequestedRun(
  session: Session,
  replicationId: string,
  volumeId: string,
  syncAt: number,
): Promise<ScpResponse> {
  const watcher = new SyncWatcher(session, replicationId, syncAt);
  const phaseOf = (response: ScpResponse) => syncPhase(response.body as StatusBody, syncAt);
  try {
    return await pollUntil(
      {
        read: async () => watcher.observe(await readStatus(session, replicationId, volumeId)),
        stateOf: phaseOf,
        isDone: (response) => phaseOf(response) === 'succeeded',
        failure: (response) => syncFailure(response.body as StatusBody, syncAt, volumeId),
        timeoutError: (state) =>
          waitTimeoutError(session, 'error.waitSync', { id: replicationId, volumeId, state }),
        // SyncWatcher reports the phases, in order with the progress lines.
        onState: () => undefined,
      },
      pollClock(session),
    );
  } finally {
    watcher.finish();
  }
}

/** Reports each new phase of the requested run on stderr, and its progress while it runs. */
class SyncWatcher {
  readonly #display: ProgressDisplay;
  #phase: SyncPhase | undefined;

  constructor(
    private readonly session: Session,
    private readonly replicationId: string,
    private readonly syncAt: number,
  ) {
    const { output, now } = session.context;
    const target = { write: output.stderr, isTTY: output.stderrIsTTY ?? false, now };
    this.#display = new ProgressDisplay(target, session.messages);
  }

  /** Reports what changed in one status reading and returns the reading. */
  observe(response: ScpResponse): ScpResponse {
    const status = response.body as StatusBody;
    const phase = syncPhase(status, this.syncAt);
    if (phase !== this.#phase) this.#notePhase(phase);
    this.#phase = phase;
    const run = status.current_run;
    // Totals stay 0 until the run has planned its transfer, so there is nothing to show yet.
    const planned = run !== null && (run.files_total > 0 || run.bytes_total > 0);
    if (phase === 'running' && planned) this.#display.update(sampleOf(run));
    return response;
  }

  finish(): void {
    this.#display.finish();
  }

  #notePhase(phase: SyncPhase): void {
    const key = PHASE_NOTES[phase];
    if (key) this.#display.note(this.session.messages.t(key, { id: this.replicationId }));
  }
}

function sampleOf(run: RunBody) {
  return {
    filesDone: run.files_done,
    filesTotal: run.files_total,
    bytesDone: run.bytes_done,
    bytesTotal: run.bytes_total,
  };
}

/** Returns the error for a requested run that failed, or for a replication paused before it ran. */
export function syncFailure(status: StatusBody, syncAt: number, volumeId: string) {
  const phase = syncPhase(status, syncAt);
  const id = status.replication_id;
  if (phase === 'failed') {
    return new CliError('error.syncFailed', { id, error: status.last_run?.error ?? '-' });
  }
  if (phase === 'paused') return new CliError('error.syncPaused', { id, volumeId });
  return undefined;
}
