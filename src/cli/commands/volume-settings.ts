import type { Command } from 'commander';
import type { Session } from '../session.js';
import { ACCESS_RULE_OBJECT_TYPES, checkBoolean, checkChoice } from '../validate.js';
import { printFields, renderList, sessionFor, type CommandDeps } from './deps.js';

export interface AccessRuleOptions {
  objectType: string;
  objectId: string;
}

const ACCESS_RULE_FIELDS = ['object_type', 'object_id', 'access_rule_state'];

/** Adds `volume set` and `volume access-rule list|add|remove`. */
export function registerVolumeSettingsCommands(volume: Command, deps: CommandDeps): void {
  const m = deps.messages;
  volume
    .command('set')
    .description(m.t('cmd.volumeSet'))
    .argument('<volume_id>', m.t('arg.volumeId'))
    .requiredOption('--file-unit-recovery <true|false>', m.t('opt.fileUnitRecovery'))
    .action((volumeId: string, options: { fileUnitRecovery: string }, command: Command) =>
      setVolume(sessionFor(command, deps), volumeId, options.fileUnitRecovery),
    );
  const rule = volume.command('access-rule').description(m.t('cmd.accessRule'));
  rule
    .command('list')
    .description(m.t('cmd.accessRuleList'))
    .argument('<volume_id>', m.t('arg.volumeId'))
    .action((volumeId: string, _options: object, command: Command) =>
      listAccessRules(sessionFor(command, deps), volumeId),
    );
  registerAccessRuleChange(rule, deps, 'add');
  registerAccessRuleChange(rule, deps, 'remove');
}

function registerAccessRuleChange(rule: Command, deps: CommandDeps, action: 'add' | 'remove') {
  const m = deps.messages;
  rule
    .command(action)
    .description(m.t(action === 'add' ? 'cmd.accessRuleAdd' : 'cmd.accessRuleRemove'))
    .argument('<volume_id>', m.t('arg.volumeId'))
    .requiredOption('--object-type <type>', m.t('opt.objectType'))
    .requiredOption('--object-id <id>', m.t('opt.objectId'))
    .action((volumeId: string, options: AccessRuleOptions, command: Command) =>
      changeAccessRule(sessionFor(command, deps), volumeId, action, options),
    );
}

/**
 * Sends SetVolume. API version 1.0 answers without a body, so table format then prints a
 * confirmation line instead of the fields.
 */
export async function setVolume(session: Session, volumeId: string, value: string) {
  const enabled = checkBoolean('--file-unit-recovery', value) as boolean;
  const response = await session.call('PUT', volumePath(volumeId), {
    body: { file_unit_recovery_enabled: enabled },
  });
  if (response.body !== undefined) {
    printFields(session, response);
    return;
  }
  session.printNote(session.messages.t('result.volumeSet', { id: volumeId }));
}

/** Sends ListVolumeAccessRules and prints the rules. */
export async function listAccessRules(session: Session, volumeId: string): Promise<void> {
  const response = await session.call('GET', `${volumePath(volumeId)}/access-rules`);
  const list = response.body as { count: number; access_rules: object[] };
  session.printResult(response, () =>
    renderList(session, ACCESS_RULE_FIELDS, list.access_rules, list.count),
  );
}

/** Sends SetVolumeAccessRule with action `add` or `remove` and prints the response. */
export async function changeAccessRule(
  session: Session,
  volumeId: string,
  action: 'add' | 'remove',
  options: AccessRuleOptions,
): Promise<void> {
  const body = {
    action,
    object_type: checkChoice('--object-type', options.objectType, ACCESS_RULE_OBJECT_TYPES),
    object_id: options.objectId,
  };
  const path = `${volumePath(volumeId)}/access-rules`;
  printFields(session, await session.call('PUT', path, { body }));
}

function volumePath(volumeId: string): string {
  return `/v1/volumes/${encodeURIComponent(volumeId)}`;
}
