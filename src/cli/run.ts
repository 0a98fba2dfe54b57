import { CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import type { CliContext } from './context.js';
import { describeError } from './errors.js';
import { chooseLocale, findLangArgument } from './locale.js';
import { Messages } from './messages.js';
import { buildProgram } from './program.js';
import { LANGUAGES } from './validate.js';

/**
 * Runs one `scpfs` command line (without the node and script arguments) and returns the exit
 * code: 0 on success, 1 on any error, after printing the error to stderr.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const lang = findLangArgument(argv);
  const messages = new Messages(chooseLocale(lang, context.env));
  if (lang !== undefined && !(LANGUAGES as readonly string[]).includes(lang)) {
    const params = { option: '--lang', value: lang, allowed: LANGUAGES.join(', ') };
    context.output.stderr(
      `${messages.t('error.prefix')}: ${messages.t('error.invalidChoice', params)}\n`,
    );
    return 1;
  }
  try {
    await buildProgram({ context, messages }).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, context, messages);
  }
}

function reportError(err: unknown, context: CliContext, messages: Messages): number {
  // Commander has already printed its own usage errors and help.
  if (err instanceof CommanderError) return err.exitCode;
  const line =
    err instanceof ConfigError
      ? `${messages.t('error.prefix')}: ${err.message}`
      : describeError(err, messages);
  context.output.stderr(`${line}\n`);
  return 1;
}
