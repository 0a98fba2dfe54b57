import type { Command } from 'commander';
import type { ScpResponse } from '../client.js';
import { CliError } from '../errors.js';
import { renderKeyValues } from '../render.js';
import type { Session } from '../session.js';
import { formatBytes } from '../units.js';
import { pollUntil } from '../wait.js';
import { pollClock, renderList, sessionFor, stringField, type CommandDeps } from './deps.js';
import { GONE, waitTimeoutError } from './polling.js';

/** A snapshot as ListVolumeSnapshots, CreateVolumeSnapshot and the restore return it. */
export interface SnapshotBody {
  id: string;
  name: string;
  state: string;
  created_at: string;
  size: number | null;
  volume_id?: string;
}

interface SnapshotListBody {
  count: number;
  snapshots: SnapshotBody[];
  snapshot_size_total_byte: number | null;
}

interface VolumeWaitOptions {
  volumeId: string;
  wait?: boolean;
}

const LIST_FIELDS = ['id', 'name', 'state', 'size', 'created_at'];

/** Adds `snapshot create|list|delete|restore`. */
export function registerSnapshotCommands(program: Command, deps: CommandDeps): void {
  const m = deps.messages;
  const snapshot = program.command('snapshot').description(m.t('cmd.snapshot'));
  snapshot
    .command('create')
    .description(m.t('cmd.snapshotCreate'))
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .option('--wait', m.t('opt.waitSnapshotCreate'))
    .action((options: VolumeWaitOptions, command: Command) =>
      createSnapshot(sessionFor(command, deps), options),
    );
  snapshot
    .command('list')
    .description(m.t('cmd.snapshotList'))
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .action((options: { volumeId: string }, command: Command) =>
      listSnapshots(sessionFor(command, deps), options.volumeId),
    );
  registerSnapshotIdCommands(snapshot, deps);
}

function registerSnapshotIdCommands(snapshot: Command, deps: CommandDeps): void {
  const m = deps.messages;
  snapshot
    .command('delete')
    .description(m.t('cmd.snapshotDelete'))
    .argument('<snapshot_id>', m.t('arg.snapshotId'))
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .option('--wait', m.t('opt.waitSnapshotDelete'))
    .action((snapshotId: string, options: VolumeWaitOptions, command: Command) =>
      deleteSnapshot(sessionFor(command, deps), snapshotId, options),
    );
  snapshot
    .command('restore')
    .description(m.t('cmd.snapshotRestore'))
    .argument('<snapshot_id>', m.t('arg.snapshotId'))
    .requiredOption('--volume-id <id>', m.t('opt.snapshotVolumeId'))
    .option('--wait', m.t('opt.waitRestore'))
    .action((snapshotId: string, options: VolumeWaitOptions, command: Command) =>
      restoreSnapshot(sessionFor(command, deps), snapshotId, options),
    );
}

/**
 * Sends CreateVolumeSnapshot. With --wait, polls ListVolumeSnapshots until the snapshot is
 * `available` and prints it as that list returns it (there is no operation to show one snapshot).
 */
export async function createSnapshot(session: Session, options: VolumeWaitOptions) {
  const body = { volume_id: options.volumeId };
  const response = await session.call('POST', '/v1/snapshots', { body });
  const created = (response.body as { snapshot: SnapshotBody }).snapshot;
  if (!options.wait) {
    session.printResult(response, () => renderSnapshot(session, created));
    return;
  }
  const snapshot = await waitForSnapshot(session, created.id, options.volumeId, 'available');
  if (session.format === 'json') session.printLine(JSON.stringify(snapshot));
  else session.printLine(renderSnapshot(session, snapshot as SnapshotBody));
}

/** Sends ListVolumeSnapshots and prints the snapshots with their count and total size. */
export async function listSnapshots(session: Session, volumeId: string): Promise<void> {
  const response = await listResponse(session, volumeId);
  const list = response.body as SnapshotListBody;
  session.printResult(response, () => {
    const rows = list.snapshots.map((s) => ({ ...s, size: sizeText(s.size) }));
    const total = sizeText(list.snapshot_size_total_byte) ?? '-';
    const sizeLine = session.messages.t('result.snapshotSizeTotal', { size: total });
    return `${renderList(session, LIST_FIELDS, rows, list.count)}\n${sizeLine}`;
  });
}

/** Sends DeleteVolumeSnapshot and, with --wait, polls until the snapshot is no longer listed. */
export async function deleteSnapshot(
  session: Session,
  snapshotId: string,
  options: VolumeWaitOptions,
): Promise<void> {
  const query = { volume_id: options.volumeId };
  await session.call('DELETE', snapshotPath(snapshotId), { query });
  const { messages } = session;
  session.printNote(messages.t('result.snapshotDeleteAccepted', { id: snapshotId }));
  if (!options.wait) return;
  await waitForSnapshot(session, snapshotId, options.volumeId, GONE);
  session.printNote(messages.t('result.snapshotDeleted', { id: snapshotId }));
}

/**
 * Sends RestoreVolumeSnapshot and prints the snapshot. With --wait, polls ShowVolume until the
 * volume is no longer `restoring`, raising when it ends in state `error`.
 */
export async function restoreSnapshot(
  session: Session,
  snapshotId: string,
  options: VolumeWaitOptions,
): Promise<void> {
  const query = { volume_id: options.volumeId };
  const response = await session.call('PUT', `${snapshotPath(snapshotId)}/restore`, { query });
  const snapshot = (response.body as { snapshot: SnapshotBody }).snapshot;
  session.printResult(response, () => renderSnapshot(session, snapshot));
  if (!options.wait) return;
  await waitForRestore(session, snapshotId, options.volumeId);
  const params = { id: snapshotId, volumeId: options.volumeId };
  session.printNote(session.messages.t('result.snapshotRestored', params));
}

function renderSnapshot(session: Session, snapshot: SnapshotBody): string {
  const { messages } = session;
  const entries = Object.entries(snapshot).map(([field, value]): [string, unknown] => [
    messages.fieldLabel(field),
    field === 'size' ? sizeText(value as number | null) : value,
  ]);
  return renderKeyValues(entries);
}

function sizeText(bytes: number | null): string | null {
  return bytes === null ? null : formatBytes(bytes);
}

function snapshotPath(snapshotId: string): string {
  return `/v1/snapshots/${encodeURIComponent(snapshotId)}`;
}

function listResponse(session: Session, volumeId: string): Promise<ScpResponse> {
  return session.call('GET', '/v1/snapshots', { query: { volume_id: volumeId } });
}

/** Finds a snapshot in the volume's list; undefined when it is not listed. */
async function findSnapshot(session: Session, snapshotId: string, volumeId: string) {
  const list = (await listResponse(session, volumeId)).body as SnapshotListBody;
  return list.snapshots.find((snapshot) => snapshot.id === snapshotId);
}

/** Polls the volume's snapshots until the snapshot's state is `goal` (GONE: not listed). */
async function waitForSnapshot(
  session: Session,
  snapshotId: string,
  volumeId: string,
  goal: string,
): Promise<SnapshotBody | undefined> {
  const stateOf = (snapshot: SnapshotBody | undefined) => snapshot?.state ?? GONE;
  const timeoutKey = goal === GONE ? 'error.waitSnapshotDeleted' : 'error.waitSnapshotAvailable';
  return pollUntil(
    {
      read: () => findSnapshot(session, snapshotId, volumeId),
      stateOf,
      isDone: (snapshot) => stateOf(snapshot) === goal,
      failure: (snapshot) => snapshotFailure(snapshotId, volumeId, stateOf(snapshot)),
      timeoutError: (state) =>
        waitTimeoutError(session, timeoutKey, { id: snapshotId, volumeId, state }),
      onState: (state) =>
        session.printProgress(
          session.messages.t('progress.snapshotState', { id: snapshotId, state }),
        ),
    },
    pollClock(session),
  );
}

function snapshotFailure(snapshotId: string, volumeId: string, state: string) {
  if (state === 'error') return new CliError('error.snapshotFailed', { id: snapshotId, volumeId });
  if (state === GONE) return new CliError('error.snapshotGone', { id: snapshotId, volumeId });
  return undefined;
}

async function waitForRestore(session: Session, snapshotId: string, volumeId: string) {
  const path = `/v1/volumes/${encodeURIComponent(volumeId)}`;
  const stateOf = (response: ScpResponse) => stringField(response.body, 'state');
  await pollUntil(
    {
      read: () => session.call('GET', path),
      stateOf,
      isDone: (response) => stateOf(response) === 'available',
      failure: (response) =>
        stateOf(response) === 'error'
          ? new CliError('error.restoreFailed', { id: snapshotId, volumeId })
          : undefined,
      timeoutError: (state) =>
        waitTimeoutError(session, 'error.waitRestore', { id: snapshotId, volumeId, state }),
      onState: (state) =>
        session.printProgress(session.messages.t('progress.volumeState', { id: volumeId, state })),
    },
    pollClock(session),
  );
}
