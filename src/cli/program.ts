import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { Command, Option } from 'commander';
import { translateCommanderError } from './commander-errors.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerReplicationCommands } from './commands/replication.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSnapshotScheduleCommands } from './commands/snapshot-schedule.js';
import { registerSnapshotCommands } from './commands/snapshot.js';
import { registerVolumeCommands } from './commands/volume.js';
import type { CommandDeps } from './commands/deps.js';
import type { MessageKey, Messages } from './messages.js';
import { displayWidth } from './render.js';

/** Commander's help headings and the catalogue keys that translate them. */
const HELP_TITLES: Record<string, MessageKey> = {
  'Usage:': 'help.usage',
  'Options:': 'help.options',
  'Global Options:': 'help.globalOptions',
  'Commands:': 'help.commands',
  'Arguments:': 'help.arguments',
};

/**
 * Builds the `scpfs` command tree with help text in the user's language. Commander writes
 * through the context's output and throws instead of exiting, so a run can happen in-process.
 */
export function buildProgram(deps: CommandDeps): Command {
  const m = deps.messages;
  const { output } = deps.context;
  const program = new Command('scpfs')
    .description(m.t('help.program'))
    .version(packageVersion(), '-V, --version', m.t('help.version'))
    .configureOutput({
      writeOut: output.stdout,
      writeErr: output.stderr,
      outputError: (text, write) => write(translateCommanderError(text, m)),
    })
    .configureHelp({
      showGlobalOptions: true,
      styleTitle: (title) => translateTitle(title, m),
      displayWidth: (text) => displayWidth(stripVTControlCharacters(text)),
    })
    .exitOverride()
    .showHelpAfterError(m.t('help.afterError'))
    .helpOption('-h, --help', m.t('help.helpOption'))
    .helpCommand('help [command]', m.t('help.helpCommand'));
  addGlobalOptions(program, m);
  registerServeCommand(program, deps);
  registerVolumeCommands(program, deps);
  registerSnapshotCommands(program, deps);
  registerSnapshotScheduleCommands(program, deps);
  registerReplicationCommands(program, deps);
  registerAdminCommands(program, deps);
  return program;
}

function addGlobalOptions(program: Command, m: Messages): void {
  program
    .addOption(new Option('--endpoint <url>', m.t('opt.endpoint')))
    .addOption(new Option('--access-key <key>', m.t('opt.accessKey')))
    .addOption(new Option('--secret-key <key>', m.t('opt.secretKey')))
    .addOption(new Option('--data-dir <dir>', m.t('opt.dataDir')))
    .addOption(new Option('--api-version <version>', m.t('opt.apiVersion')))
    .addOption(new Option('--output <format>', m.t('opt.output')))
    .addOption(new Option('--lang <language>', m.t('opt.lang')))
    .addOption(new Option('--wait-timeout <seconds>', m.t('opt.waitTimeout')));
}

function translateTitle(title: string, m: Messages): string {
  const key = HELP_TITLES[title];
  return key ? m.t(key) : title;
}

/** Reads the version from package.json, two levels above both src/cli and dist/cli. */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
