import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { Session } from '../session.js';
import { FREQUENCIES, checkChoice, checkInteger } from '../validate.js';
import { pollUntil } from '../wait.js';
import { pollClock, printFields, sessionFor, type CommandDeps } from './deps.js';
import { GONE, stateOrGone, waitTimeoutError } from './polling.js';

export interface ReplicationSetOptions {
  volumeId: string;
  frequency?: string;
  backupRetentionCount?: string;
}

interface DeleteOptions {
  volumeId: string;
  wait?: boolean;
}

/** Body of SetVolumeReplication, with every field present as the Terraform provider sends it. */
export interface ReplicationUpdateBody {
  replication_update_type: 'policy' | 'modify_schedule';
  replication_policy: 'use' | 'paused' | null;
  replication_frequency: string | null;
  backup_retention_count: number | null;
}

/** Adds `replication set|pause|resume|delete`. */
export function registerReplicationUpdateCommands(replication: Command, deps: CommandDeps): void {
  const m = deps.messages;
  replication
    .command('set')
    .description(m.t('cmd.replicationSet'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .option('--frequency <frequency>', m.t('opt.frequency'))
    .option('--backup-retention-count <n>', m.t('opt.setRetention'))
    .action((replicationId: string, options: ReplicationSetOptions, command: Command) =>
      setReplicationSchedule(sessionFor(command, deps), replicationId, options),
    );
  registerPolicyCommand(replication, deps, 'pause');
  registerPolicyCommand(replication, deps, 'resume');
  replication
    .command('delete')
    .description(m.t('cmd.replicationDelete'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .option('--wait', m.t('opt.waitReplicationDelete'))
    .action((replicationId: string, options: DeleteOptions, command: Command) =>
      deleteReplication(sessionFor(command, deps), replicationId, options),
    );
}

function registerPolicyCommand(replication: Command, deps: CommandDeps, verb: 'pause' | 'resume') {
  const m = deps.messages;
  replication
    .command(verb)
    .description(m.t(verb === 'pause' ? 'cmd.replicationPause' : 'cmd.replicationResume'))
    .argument('<replication_id>', m.t('arg.replicationId'))
    .requiredOption('--volume-id <id>', m.t('opt.anyVolumeId'))
    .action((replicationId: string, options: { volumeId: string }, command: Command) =>
      setReplicationPolicy(
        sessionFor(command, deps),
        replicationId,
        options.volumeId,
        verb === 'pause' ? 'paused' : 'use',
      ),
    );
}

/** Builds the `modify_schedule` body, raising before any request when neither option is given. */
export function scheduleUpdateBody(options: ReplicationSetOptions): ReplicationUpdateBody {
  const frequency = checkChoice('--frequency', options.frequency, FREQUENCIES);
  const retention = checkInteger('--backup-retention-count', options.backupRetentionCount, 1, 128);
  if (frequency === undefined && retention === undefined) {
    throw new CliError('error.replicationSetNothing');
  }
  return {
    replication_update_type: 'modify_schedule',
    replication_policy: null,
    replication_frequency: frequency ?? null,
    backup_retention_count: retention ?? null,
  };
}

/** Sends SetVolumeReplication with `modify_schedule` and prints the replication. */
export async function setReplicationSchedule(
  session: Session,
  replicationId: string,
  options: ReplicationSetOptions,
): Promise<void> {
  const body = scheduleUpdateBody(options);
  printFields(session, await putReplication(session, replicationId, options.volumeId, body));
}

/** Sends SetVolumeReplication with `policy` to pause or resume, and prints the replication. */
export async function setReplicationPolicy(
  session: Session,
  replicationId: string,
  volumeId: string,
  policy: 'use' | 'paused',
): Promise<void> {
  const body: ReplicationUpdateBody = {
    replication_update_type: 'policy',
    replication_policy: policy,
    replication_frequency: null,
    backup_retention_count: null,
  };
  const response = await putReplication(session, replicationId, volumeId, body);
  printFields(session, response);
  const key = policy === 'paused' ? 'result.replicationPaused' : 'result.replicationResumed';
  session.printNote(session.messages.t(key, { id: replicationId }));
}

/**
 * Sends DeleteVolumeReplication and, with --wait, polls ShowVolumeReplication until it returns
 * 404. The server rejects the delete with REPLICATION_IN_USE unless the policy is `paused`.
 */
export async function deleteReplication(
  session: Session,
  replicationId: string,
  options: DeleteOptions,
): Promise<void> {
  const query = { volume_id: options.volumeId };
  await session.call('DELETE', replicationPath(replicationId), { query });
  const { messages } = session;
  session.printNote(messages.t('result.replicationDeleteAccepted', { id: replicationId }));
  if (!options.wait) return;
  await waitForReplicationGone(session, replicationId, options.volumeId);
  session.printNote(messages.t('result.replicationDeleted', { id: replicationId }));
}

async function waitForReplicationGone(session: Session, replicationId: string, volumeId: string) {
  const read = () =>
    session.call('GET', replicationPath(replicationId), { query: { volume_id: volumeId } });
  await pollUntil(
    {
      read: () => stateOrGone(read, 'replication_status'),
      stateOf: (state) => state,
      isDone: (state) => state === GONE,
      failure: () => undefined,
      timeoutError: (state) =>
        waitTimeoutError(session, 'error.waitReplicationDeleted', {
          id: replicationId,
          volumeId,
          state,
        }),
      onState: (state) => reportStatus(session, replicationId, state),
    },
    pollClock(session),
  );
}

function reportStatus(session: Session, replicationId: string, state: string): void {
  session.printProgress(
    session.messages.t('progress.replicationStatus', { id: replicationId, state }),
  );
}

function putReplication(
  session: Session,
  replicationId: string,
  volumeId: string,
  body: ReplicationUpdateBody,
) {
  const query = { volume_id: volumeId };
  return session.call('PUT', replicationPath(replicationId), { query, body });
}

/** Returns the path of one replication under the SCP API. */
export function replicationPath(replicationId: string): string {
  return `/v1/replications/${encodeURIComponent(replicationId)}`;
}
