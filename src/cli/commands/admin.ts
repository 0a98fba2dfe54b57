import type { Command } from 'commander';
import type { Account } from '../../admin/accounts.js';
import type { Session } from '../session.js';
import { registerAdminKeyCommands } from './admin-keys.js';
import { printRecord, printRecords, withAdmin } from './admin-run.js';
import { sessionFor, type CommandDeps } from './deps.js';

const ACCOUNT_COLUMNS = ['account_id', 'name', 'created_at'];

/**
 * Adds `admin account create|list` and `admin key create|list|disable|enable`, which work on the
 * data directory directly. Accounts are created explicitly, never as a side effect of `key
 * create`, so a mistyped account ID fails instead of creating an empty tenant.
 */
export function registerAdminCommands(program: Command, deps: CommandDeps): void {
  const m = deps.messages;
  const admin = program.command('admin').description(m.t('cmd.admin'));
  const account = admin.command('account').description(m.t('cmd.adminAccount'));
  account
    .command('create')
    .description(m.t('cmd.adminAccountCreate'))
    .argument('<name>', m.t('arg.accountName'))
    .option('--id <id>', m.t('opt.newAccountId'))
    .action((name: string, options: { id?: string }, command: Command) =>
      createAccount(sessionFor(command, deps), name, options.id),
    );
  account
    .command('list')
    .description(m.t('cmd.adminAccountList'))
    .action((_options: object, command: Command) => listAccounts(sessionFor(command, deps)));
  registerAdminKeyCommands(admin, deps);
}

/** Creates an account and prints it. */
export async function createAccount(
  session: Session,
  name: string,
  id: string | undefined,
): Promise<void> {
  const account = await withAdmin(session, (admin) => admin.createAccount({ name, id }));
  printRecord(session, accountRecord(account));
}

/** Prints every account. */
export async function listAccounts(session: Session): Promise<void> {
  const accounts = await withAdmin(session, (admin) => admin.listAccounts());
  printRecords(session, 'accounts', ACCOUNT_COLUMNS, accounts.map(accountRecord));
}

function accountRecord(account: Account): Record<string, unknown> {
  return { account_id: account.id, name: account.name, created_at: account.createdAt };
}
