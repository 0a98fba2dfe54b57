import type { Command } from 'commander';
import type { ScpResponse } from '../client.js';
import { CliError } from '../errors.js';
import type { Session } from '../session.js';
import {
  FREQUENCIES,
  REPLICABLE_TYPE_NAMES,
  REPLICATION_TYPES,
  checkChoice,
  checkInteger,
  checkVolumeName,
} from '../validate.js';
import { pollUntil } from '../wait.js';
import {
  pollClock,
  printFields,
  renderList,
  renderRows,
  sessionFor,
  stringField,
  type CommandDeps,
} from './deps.js';
import { registerReplicationStatusCommands } from './replication-status.js';
import { registerReplicationSyncCommand } from './replication-sync.js';
import { registerReplicationUpdateCommands } from './replication-update.js';

export interface ReplicationCreateOptions {
  volumeId: string;
  name: string;
  region: string;
  frequency: string;
  type?: string;
  backupRetentionCount?: string;
  cifsPassword?: string;
  wait?: boolean;
}

export interface ReplicationRegionsOptions {
  typeName?: string;
  sourceRegion?: string;
  type?: string;
}

const LIST_FIELDS = [
  'replication_id',
  'replication_type',
  'replication_frequency',
  'source_volume_id',
  'source_volume_region',
  'replication_volume_id',
  'replication_volume_region',
];

/**
 * Adds `replication create|list|show|regions`, `set|pause|resume|delete` and the scpfs
 * extensions `status|runs|sync`.
 */
export function registerReplicationCommands(program: Command, deps: CommandDeps): void {
  const m = deps.messages;
  const replication = program.command('replication').description(m.t('cmd.replication'));
  replication
    .command('create')
    .description(m.t('cmd.replicationCreate'))
    .requiredOption('--volume-id <id>', m.t('opt.sourceVolumeId'))
    .requiredOption('--name <name>', m.t('opt.replicaName'))
    .requiredOption('--region <region>', m.t('opt.targetRegion'))
    .requiredOption('--frequency <frequency>', m.t('opt.frequency'))
    .option('--type <type>', m.t('opt.replicationType'))
    .option('--backup-retention-count <n>', m.t('opt.retention'))
    .option('--cifs-password <password>', m.t('opt.replicaCifsPassword'))
    .option('--wait', m.t('opt.waitReplication'))
    .action((options: ReplicationCreateOptions, command: Command) =>
      createReplication(sessionFor(command, deps), options),
    );
  registerReplicationQueries(replication, deps);
  registerReplicationUpdateCommands(replication, deps);
  registerReplicationStatusCommands(replication, deps);
  registerReplicationSyncCommand(replication, deps);
}

function registerReplicationQueries(replication: Command, deps: CommandDeps): void {
  const m = deps.messages;
  replication
    .command('list')
    .description(m.t('cmd.replicationList'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .action((options: { volumeId: string }, command: Command) =>
      listReplications(sessionFor(command, deps), options.volumeId),
    );
  replication
    .command('show')
    .description(m.t('cmd.replicationShow'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .action((replicationId: string, options: { volumeId: string }, command: Command) =>
      showReplication(sessionFor(command, deps), replicationId, options.volumeId),
    );
  replication
    .command('regions')
    .description(m.t('cmd.replicationRegions'))
    .option('--type-name <type>', m.t('opt.regionsTypeName'))
    .option('--source-region <region>', m.t('opt.sourceRegion'))
    .option('--type <type>', m.t('opt.regionsType'))
    .action((options: ReplicationRegionsOptions, command: Command) =>
      listReplicationRegions(sessionFor(command, deps), options),
    );
}

/** Builds the CreateVolumeReplication body, in the field order of the API reference's example. */
export function replicationCreateBody(options: ReplicationCreateOptions): Record<string, unknown> {
  const retention = checkInteger('--backup-retention-count', options.backupRetentionCount, 1, 128);
  return {
    name: checkVolumeName('--name', options.name),
    ...(options.cifsPassword !== undefined && { cifs_password: options.cifsPassword }),
    replication_frequency: checkChoice('--frequency', options.frequency, FREQUENCIES),
    region: options.region,
    volume_id: options.volumeId,
    ...(retention !== undefined && { backup_retention_count: retention }),
    replication_type: checkChoice('--type', options.type ?? 'replication', REPLICATION_TYPES),
  };
}

/**
 * Sends CreateVolumeReplication and, with --wait, polls ShowVolumeReplication through the source
 * volume until the baseline copy is done (status `available`), raising on status `error`.
 */
export async function createReplication(
  session: Session,
  options: ReplicationCreateOptions,
): Promise<void> {
  const body = replicationCreateBody(options);
  const response = await session.call('POST', '/v1/replications', { body });
  if (!options.wait) {
    printFields(session, response);
    return;
  }
  const replicationId = stringField(response.body, 'replication_id');
  const available = await waitForReplicationAvailable(session, replicationId, options.volumeId);
  printFields(session, available);
}

/** Sends ListVolumeReplications for a source or replica volume and prints the replications. */
export async function listReplications(session: Session, volumeId: string): Promise<void> {
  const response = await session.call('GET', '/v1/replications', {
    query: { volume_id: volumeId },
  });
  const list = response.body as { count: number; replications: object[] };
  session.printResult(response, () =>
    renderList(session, LIST_FIELDS, list.replications, list.count),
  );
}

/** Sends ShowVolumeReplication and prints every field. */
export async function showReplication(
  session: Session,
  replicationId: string,
  volumeId: string,
): Promise<void> {
  printFields(session, await readReplication(session, replicationId, volumeId));
}

/** Sends ListVolumeReplicationRegions and prints one region per line. */
export async function listReplicationRegions(
  session: Session,
  options: ReplicationRegionsOptions,
): Promise<void> {
  const query = {
    type_name: checkChoice('--type-name', options.typeName, REPLICABLE_TYPE_NAMES),
    source_region_name: options.sourceRegion,
    replication_type: checkChoice('--type', options.type, REPLICATION_TYPES),
  };
  const response = await session.call('GET', '/v1/replications/regions', { query });
  const regions = (response.body as { regions: string[] }).regions;
  const rows = regions.map((region) => ({ region }));
  session.printResult(response, () => renderRows(session, ['region'], rows));
}

function readReplication(session: Session, replicationId: string, volumeId: string) {
  const path = `/v1/replications/${encodeURIComponent(replicationId)}`;
  return session.call('GET', path, { query: { volume_id: volumeId } });
}

async function waitForReplicationAvailable(
  session: Session,
  replicationId: string,
  volumeId: string,
): Promise<ScpResponse> {
  const statusOf = (response: ScpResponse) => stringField(response.body, 'replication_status');
  const seconds = session.waitTimeoutMs / 1000;
  return pollUntil(
    {
      read: () => readReplication(session, replicationId, volumeId),
      stateOf: statusOf,
      isDone: (response) => statusOf(response) === 'available',
      failure: (response) => replicationFailure(replicationId, statusOf(response)),
      timeoutError: (state) =>
        new CliError('error.waitReplicationAvailable', {
          id: replicationId,
          volumeId,
          state,
          seconds,
        }),
      onState: (state) => reportReplicationStatus(session, replicationId, state),
    },
    pollClock(session),
  );
}

function replicationFailure(replicationId: string, status: string): CliError | undefined {
  if (status !== 'error') return undefined;
  return new CliError('error.replicationFailed', { id: replicationId });
}

function reportReplicationStatus(session: Session, replicationId: string, state: string): void {
  const text = session.messages.t('progress.replicationStatus', { id: replicationId, state });
  session.printProgress(text);
}
