import type { Command } from 'commander';
import type { Messages } from '../messages.js';
import { renderKeyValues } from '../render.js';
import type { Session } from '../session.js';
import { formatBytes, formatDuration, formatDurationMs } from '../units.js';
import { checkInteger } from '../validate.js';
import { renderList, sessionFor, type CommandDeps } from './deps.js';

/** One transfer as the status and runs extensions return it. */
export interface RunBody {
  run_id: string;
  state: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number;
  entries_scanned: number;
  files_copied: number;
  bytes_copied: number;
  entries_deleted: number;
  files_total: number;
  bytes_total: number;
  files_done: number;
  bytes_done: number;
  error: string | null;
}

/** Body of `GET /scpfs/v1/replications/{id}/status`. */
export interface StatusBody {
  replication_id: string;
  replication_status: string;
  replication_policy: string;
  replication_frequency: string;
  last_replicated_at: string | null;
  lag_seconds: number | null;
  interval_seconds: number;
  health: string;
  next_run_at: string | null;
  last_error: string | null;
  last_run: RunBody | null;
  current_run: RunBody | null;
}

interface RunsOptions {
  volumeId: string;
  limit?: string;
  offset?: string;
}

const RUN_FIELDS = [
  'run_id',
  'state',
  'started_at',
  'duration_ms',
  'files_copied',
  'bytes_copied',
  'entries_deleted',
  'error',
];
const MAX_RUNS_PAGE = 1000;
const MAX_OFFSET = 2 ** 31 - 1;

/** Adds `replication status|runs`. */
export function registerReplicationStatusCommands(replication: Command, deps: CommandDeps) {
  const m = deps.messages;
  replication
    .command('status')
    .description(m.t('cmd.replicationStatus'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .action((replicationId: string, options: { volumeId: string }, command: Command) =>
      showReplicationStatus(sessionFor(command, deps), replicationId, options.volumeId),
    );
  replication
    .command('runs')
    .description(m.t('cmd.replicationRuns'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .option('--limit <n>', m.t('opt.runsLimit'))
    .option('--offset <n>', m.t('opt.runsOffset'))
    .action((replicationId: string, options: RunsOptions, command: Command) =>
      listReplicationRuns(sessionFor(command, deps), replicationId, options),
    );
}

/** Returns the path of a replication's extension resource, such as `status` or `runs`. */
export function extensionPath(replicationId: string, resource: string): string {
  return `/scpfs/v1/replications/${encodeURIComponent(replicationId)}/${resource}`;
}

/** Reads the status extension of a replication. */
export function readStatus(session: Session, replicationId: string, volumeId: string) {
  const query = { volume_id: volumeId };
  return session.call('GET', extensionPath(replicationId, 'status'), { query });
}

/** Prints the status: readable lines in table format, the server's body in json. */
export async function showReplicationStatus(
  session: Session,
  replicationId: string,
  volumeId: string,
): Promise<void> {
  const response = await readStatus(session, replicationId, volumeId);
  session.printResult(response, () => renderStatus(response.body as StatusBody, session.messages));
}

/** Prints the run history, newest first, as a table with the total number of runs. */
export async function listReplicationRuns(
  session: Session,
  replicationId: string,
  options: RunsOptions,
): Promise<void> {
  const query = {
    volume_id: options.volumeId,
    limit: checkInteger('--limit', options.limit, 1, MAX_RUNS_PAGE),
    offset: checkInteger('--offset', options.offset, 0, MAX_OFFSET),
  };
  const response = await session.call('GET', extensionPath(replicationId, 'runs'), { query });
  const list = response.body as { count: number; runs: RunBody[] };
  const rows = list.runs.map((run) => runRow(run, session.messages));
  session.printResult(response, () => renderList(session, RUN_FIELDS, rows, list.count));
}

/** Formats a run for the runs table: duration and bytes in human units. */
function runRow(run: RunBody, messages: Messages): Record<string, unknown> {
  return {
    ...run,
    duration_ms: formatDurationMs(run.duration_ms, messages),
    bytes_copied: formatBytes(run.bytes_copied),
  };
}

/** Renders the status as labelled lines, with the lag and the runs in human units. */
export function renderStatus(status: StatusBody, messages: Messages): string {
  const lag = status.lag_seconds === null ? null : formatDuration(status.lag_seconds, messages);
  const fields: [string, unknown][] = [
    ['replication_id', status.replication_id],
    ['replication_status', status.replication_status],
    ['replication_policy', status.replication_policy],
    ['replication_frequency', status.replication_frequency],
    ['health', status.health],
    ['lag_seconds', lag],
    ['interval_seconds', formatDuration(status.interval_seconds, messages)],
    ['last_replicated_at', status.last_replicated_at],
    ['next_run_at', status.next_run_at],
    ['last_error', status.last_error],
    ['last_run', status.last_run && describeFinishedRun(status.last_run, messages)],
    ...lastRunError(status.last_run),
    ['current_run', status.current_run && describeCurrentRun(status.current_run, messages)],
  ];
  return renderKeyValues(fields.map(([field, value]) => [messages.fieldLabel(field), value]));
}

function lastRunError(run: RunBody | null): [string, unknown][] {
  return run?.error ? [['last_run_error', run.error]] : [];
}

/** Describes a finished run in one line: state, start, duration and what it changed. */
export function describeFinishedRun(run: RunBody, messages: Messages): string {
  return messages.t('status.finishedRun', {
    state: run.state,
    startedAt: run.started_at,
    duration: formatDurationMs(run.duration_ms, messages),
    files: run.files_copied,
    bytes: formatBytes(run.bytes_copied),
    deleted: run.entries_deleted,
  });
}

/** Describes a running transfer in one line: its start and its progress. */
export function describeCurrentRun(run: RunBody, messages: Messages): string {
  return messages.t('status.currentRun', {
    startedAt: run.started_at,
    filesDone: run.files_done,
    filesTotal: run.files_total,
    bytesDone: formatBytes(run.bytes_done),
    bytesTotal: formatBytes(run.bytes_total),
  });
}
