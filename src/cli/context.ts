import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConfigFlags } from '../config/config.js';

/** Raw writers for the two output streams. Callers add their own newlines. */
export interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal, so a progress line may be redrawn in place. */
  stderrIsTTY?: boolean;
}

/** The server entry point that `scpfs serve` calls. */
export interface ServerModule {
  runServe(flags: ConfigFlags): Promise<void>;
}

/** Everything a CLI run reads from or writes to the outside world, so tests can run it in-process. */
export interface CliContext {
  output: Output;
  env: NodeJS.ProcessEnv;
  /** Directory that relative paths such as the default ./data resolve against. */
  cwd: string;
  /** Reads a UTF-8 file, returning undefined when it does not exist. */
  readFile: (file: string) => string | undefined;
  sleep: (ms: number) => Promise<void>;
  /** Unix time in milliseconds. */
  now: () => number;
  /** Delay between two status checks of `--wait`. */
  pollIntervalMs: number;
  /** Loads the server lazily, so client commands start without loading it. */
  loadServer: () => Promise<ServerModule>;
}

/** Returns the context of a real process: its streams, environment and clock. */
export function processContext(): CliContext {
  return {
    output: {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stderrIsTTY: process.stderr.isTTY === true,
    },
    env: process.env,
    cwd: process.cwd(),
    readFile: readFileIfExists,
    sleep: (ms) => delay(ms),
    now: Date.now,
    pollIntervalMs: 1000,
    loadServer: () => import('../server.js'),
  };
}

/** Reads a UTF-8 file, returning undefined only when it does not exist. */
export function readFileIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
