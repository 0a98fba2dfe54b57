import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/config.js';
import type { GlobalOptions } from '../session.js';
import type { CommandDeps } from './deps.js';

interface ServeOptions {
  host?: string;
  port?: string;
  config?: string;
}

/** Adds `serve`, which loads the server module only when it runs. */
export function registerServeCommand(program: Command, deps: CommandDeps): void {
  const m = deps.messages;
  program
    .command('serve')
    .description(m.t('cmd.serve'))
    .option('--host <host>', m.t('opt.host'))
    .option('--port <port>', m.t('opt.port'))
    .option('--config <file>', m.t('opt.config'))
    .action(async (_options: ServeOptions, command: Command) => {
      const flags = serveFlags(command.optsWithGlobals<ServeOptions & GlobalOptions>());
      const server = await deps.context.loadServer();
      await server.runServe(flags);
    });
}

/** Maps the parsed options to the server's flags, leaving out the ones not given. */
export function serveFlags(options: ServeOptions & GlobalOptions): ConfigFlags {
  const flags: ConfigFlags = {};
  if (options.dataDir !== undefined) flags.dataDir = options.dataDir;
  if (options.host !== undefined) flags.host = options.host;
  if (options.port !== undefined) flags.port = options.port;
  if (options.config !== undefined) flags.configFile = options.config;
  return flags;
}
