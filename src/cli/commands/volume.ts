import type { Command } from 'commander';
import type { ScpResponse } from '../client.js';
import { CliError, ResponseStatusError } from '../errors.js';
import type { Session } from '../session.js';
import {
  PROTOCOLS,
  SORT_ORDERS,
  TYPE_NAMES,
  checkChoice,
  checkInteger,
  checkNotEmpty,
  checkVolumeName,
} from '../validate.js';
import { pollUntil } from '../wait.js';
import {
  pollClock,
  printFields,
  renderList,
  sessionFor,
  stringField,
  type CommandDeps,
} from './deps.js';
import { registerVolumeSettingsCommands } from './volume-settings.js';

export interface VolumeCreateOptions {
  name: string;
  protocol: string;
  typeName: string;
  cifsPassword?: string;
  snapshotId?: string;
  region?: string;
  wait?: boolean;
}

export interface VolumeListOptions {
  name?: string;
  typeName?: string;
  sort?: string;
  offset?: string;
  limit?: string;
}

const LIST_FIELDS = ['id', 'name', 'protocol', 'type_name', 'state', 'purpose', 'created_at'];
const MAX_PAGE_NUMBER = 2 ** 31 - 1;

/** Adds `volume create|list|show|delete|set` and `volume access-rule list|add|remove`. */
export function registerVolumeCommands(program: Command, deps: CommandDeps): void {
  const m = deps.messages;
  const volume = program.command('volume').description(m.t('cmd.volume'));
  volume
    .command('create')
    .description(m.t('cmd.volumeCreate'))
    .requiredOption('--name <name>', m.t('opt.volumeName'))
    .requiredOption('--protocol <protocol>', m.t('opt.protocol'))
    .requiredOption('--type-name <type>', m.t('opt.typeName'))
    .option('--cifs-password <password>', m.t('opt.cifsPassword'))
    .option('--snapshot-id <id>', m.t('opt.snapshotId'))
    .option('--region <region>', m.t('opt.volumeRegion'))
    .option('--wait', m.t('opt.waitCreate'))
    .action((options: VolumeCreateOptions, command: Command) =>
      createVolume(sessionFor(command, deps), options),
    );
  volume
    .command('list')
    .description(m.t('cmd.volumeList'))
    .option('--name <name>', m.t('opt.filterName'))
    .option('--type-name <type>', m.t('opt.filterTypeName'))
    .option('--sort <order>', m.t('opt.sort'))
    .option('--offset <n>', m.t('opt.offset'))
    .option('--limit <n>', m.t('opt.limit'))
    .action((options: VolumeListOptions, command: Command) =>
      listVolumes(sessionFor(command, deps), options),
    );
  registerVolumeIdCommands(volume, deps);
  registerVolumeSettingsCommands(volume, deps);
}

function registerVolumeIdCommands(volume: Command, deps: CommandDeps): void {
  const m = deps.messages;
  volume
    .command('show')
    .description(m.t('cmd.volumeShow'))
    .argument('<volume_id>', m.t('arg.volumeId'))
    .action((volumeId: string, _options: object, command: Command) =>
      showVolume(sessionFor(command, deps), volumeId),
    );
  volume
    .command('delete')
    .description(m.t('cmd.volumeDelete'))
    .argument('<volume_id>', m.t('arg.volumeId'))
    .option('--wait', m.t('opt.waitDelete'))
    .action((volumeId: string, options: { wait?: boolean }, command: Command) =>
      deleteVolume(sessionFor(command, deps), volumeId, options),
    );
}

/** Sends CreateVolume and, with --wait, polls ShowVolume until the volume is available. */
export async function createVolume(session: Session, options: VolumeCreateOptions): Promise<void> {
  // The server reads an empty snapshot_id as none and would create an empty volume.
  checkNotEmpty('--snapshot-id', options.snapshotId);
  const body = {
    name: checkVolumeName('--name', options.name),
    protocol: checkChoice('--protocol', options.protocol, PROTOCOLS),
    type_name: checkChoice('--type-name', options.typeName, TYPE_NAMES),
    ...(options.cifsPassword !== undefined && { cifs_password: options.cifsPassword }),
    ...(options.snapshotId !== undefined && { snapshot_id: options.snapshotId }),
  };
  const headers = options.region ? { 'X-Scpfs-Region': options.region } : undefined;
  const response = await session.call('POST', '/v1/volumes', { body, headers });
  if (!options.wait) {
    printFields(session, response);
    return;
  }
  const volumeId = stringField(response.body, 'volume_id');
  printFields(session, await waitForVolumeAvailable(session, volumeId));
}

/** Sends ListVolumes with the given filters and prints the volumes. */
export async function listVolumes(session: Session, options: VolumeListOptions): Promise<void> {
  const query = {
    offset: checkInteger('--offset', options.offset, 0, MAX_PAGE_NUMBER),
    limit: checkInteger('--limit', options.limit, 0, MAX_PAGE_NUMBER),
    name: options.name,
    type_name: checkChoice('--type-name', options.typeName, TYPE_NAMES),
    sort: checkChoice('--sort', options.sort, SORT_ORDERS),
  };
  const response = await session.call('GET', '/v1/volumes', { query });
  const list = response.body as { count: number; filestorages: object[] };
  session.printResult(response, () =>
    renderList(session, LIST_FIELDS, list.filestorages, list.count),
  );
}

/** Sends ShowVolume and prints every field. */
export async function showVolume(session: Session, volumeId: string): Promise<void> {
  printFields(session, await session.call('GET', volumePath(volumeId)));
}

/** Sends DeleteVolume and, with --wait, polls ShowVolume until it returns 404. */
export async function deleteVolume(
  session: Session,
  volumeId: string,
  options: { wait?: boolean },
): Promise<void> {
  await session.call('DELETE', volumePath(volumeId));
  session.printNote(session.messages.t('result.deleteAccepted', { id: volumeId }));
  if (!options.wait) return;
  await waitForVolumeGone(session, volumeId);
  session.printNote(session.messages.t('result.deleted', { id: volumeId }));
}

function volumePath(volumeId: string): string {
  return `/v1/volumes/${encodeURIComponent(volumeId)}`;
}

async function waitForVolumeAvailable(session: Session, volumeId: string): Promise<ScpResponse> {
  return pollUntil(
    {
      read: () => session.call('GET', volumePath(volumeId)),
      stateOf: (response) => stringField(response.body, 'state'),
      isDone: (response) => stringField(response.body, 'state') === 'available',
      failure: (response) => volumeFailure(volumeId, stringField(response.body, 'state')),
      timeoutError: (state) => waitTimeout(session, 'error.waitVolumeAvailable', volumeId, state),
      onState: (state) => reportVolumeState(session, volumeId, state),
    },
    pollClock(session),
  );
}

/** State reported while waiting for a delete once ShowVolume returns 404. */
const GONE = 'deleted';

async function waitForVolumeGone(session: Session, volumeId: string): Promise<void> {
  await pollUntil(
    {
      read: () => readVolumeState(session, volumeId),
      stateOf: (state) => state,
      isDone: (state) => state === GONE,
      failure: (state) => volumeFailure(volumeId, state),
      timeoutError: (state) => waitTimeout(session, 'error.waitVolumeDeleted', volumeId, state),
      onState: (state) => reportVolumeState(session, volumeId, state),
    },
    pollClock(session),
  );
}

function volumeFailure(volumeId: string, state: string): CliError | undefined {
  return state === 'error' ? new CliError('error.volumeFailed', { id: volumeId }) : undefined;
}

function reportVolumeState(session: Session, volumeId: string, state: string): void {
  session.printProgress(session.messages.t('progress.volumeState', { id: volumeId, state }));
}

async function readVolumeState(session: Session, volumeId: string): Promise<string> {
  try {
    const response = await session.call('GET', volumePath(volumeId));
    return stringField(response.body, 'state');
  } catch (err) {
    if (err instanceof ResponseStatusError && err.status === 404) return GONE;
    throw err;
  }
}

function waitTimeout(
  session: Session,
  key: 'error.waitVolumeAvailable' | 'error.waitVolumeDeleted',
  id: string,
  state: string,
): CliError {
  return new CliError(key, { id, state, seconds: session.waitTimeoutMs / 1000 });
}
