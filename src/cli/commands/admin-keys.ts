import type { Command } from 'commander';
import type { Session } from '../session.js';
import { accessKeyRecord, printRecord, printRecords, withAdmin } from './admin-run.js';
import { sessionFor, type CommandDeps } from './deps.js';

interface KeyCreateOptions {
  account: string;
  allow?: string[];
}

const KEY_COLUMNS = ['access_key', 'account_id', 'allowed_actions', 'disabled', 'created_at'];

/** Adds `key create|list|disable|enable` under `admin`. */
export function registerAdminKeyCommands(admin: Command, deps: CommandDeps): void {
  const m = deps.messages;
  const key = admin.command('key').description(m.t('cmd.adminKey'));
  key
    .command('create')
    .description(m.t('cmd.adminKeyCreate'))
    .requiredOption('--account <id>', m.t('opt.keyAccount'))
    .option('--allow <actions>', m.t('opt.allow'), collectActions)
    .action((options: KeyCreateOptions, command: Command) =>
      createKey(sessionFor(command, deps), options),
    );
  key
    .command('list')
    .description(m.t('cmd.adminKeyList'))
    .option('--account <id>', m.t('opt.keyListAccount'))
    .action((options: { account?: string }, command: Command) =>
      listKeys(sessionFor(command, deps), options.account),
    );
  registerKeySwitch(key, deps, 'disable');
  registerKeySwitch(key, deps, 'enable');
}

function registerKeySwitch(key: Command, deps: CommandDeps, verb: 'disable' | 'enable'): void {
  const m = deps.messages;
  key
    .command(verb)
    .description(m.t(verb === 'disable' ? 'cmd.adminKeyDisable' : 'cmd.adminKeyEnable'))
    .argument('<access_key>', m.t('arg.accessKey'))
    .action((accessKey: string, _options: object, command: Command) =>
      setKeyDisabled(sessionFor(command, deps), accessKey, verb === 'disable'),
    );
}

/** Splits one `--allow` value at commas and appends it to the earlier ones. */
function collectActions(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((action) => action.trim())];
}

/** Creates a key and prints it with its secret key, which is never shown again. */
export async function createKey(session: Session, options: KeyCreateOptions): Promise<void> {
  const created = await withAdmin(session, (admin) =>
    admin.createKey({ accountId: options.account, allowedActions: options.allow }),
  );
  const { access_key: accessKey, ...rest } = accessKeyRecord(created);
  printRecord(session, { access_key: accessKey, secret_key: created.secretKey, ...rest });
  session.printNote(session.messages.t('result.secretShownOnce'));
}

/** Prints the keys of one account, or of every account, without secret keys. */
export async function listKeys(session: Session, accountId: string | undefined): Promise<void> {
  const keys = await withAdmin(session, (admin) => admin.listKeys(accountId));
  printRecords(session, 'access_keys', KEY_COLUMNS, keys.map(accessKeyRecord));
}

/** Disables or enables a key and prints it in json format, or a confirmation line. */
export async function setKeyDisabled(
  session: Session,
  accessKey: string,
  disabled: boolean,
): Promise<void> {
  const key = await withAdmin(session, (admin) => admin.setKeyDisabled(accessKey, disabled));
  if (session.format === 'json') {
    printRecord(session, accessKeyRecord(key));
    return;
  }
  session.printNote(
    session.messages.t(disabled ? 'result.keyDisabled' : 'result.keyEnabled', { accessKey }),
  );
}
