import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { readFileIfExists, type CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/run.js';

// In-process CLI runs against a recording HTTP server on 127.0.0.1, for tests that check the
// requests a command sends and how it prints canned responses.

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
}

export const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts an HTTP server on 127.0.0.1 that records requests and sends the handler's reply. */
export async function startRecorder(reply: (request: Recorded) => Reply) {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const answer = reply(request);
      const text = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests };
}

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scpfs-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Start of the virtual clock of `run`, in Unix milliseconds. */
export const CLOCK_START_MS = 1_700_000_000_000;

/**
 * Runs the CLI in-process on a virtual clock that starts at CLOCK_START_MS: sleeping advances
 * time without waiting. `stderrIsTTY` makes stderr look like a terminal.
 */
export async function run(
  argv: string[],
  overrides: Partial<CliContext> & { stderrIsTTY?: boolean } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let clockMs = CLOCK_START_MS;
  const { stderrIsTTY, ...contextOverrides } = overrides;
  const context: CliContext = {
    output: {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stderrIsTTY,
    },
    env: { LANG: 'en_US.UTF-8' },
    cwd: tempDir(),
    readFile: readFileIfExists,
    sleep: async (ms) => {
      clockMs += ms;
    },
    now: () => clockMs,
    pollIntervalMs: 1000,
    loadServer: () => Promise.reject(new Error('serve is not expected here')),
    ...contextOverrides,
  };
  const code = await runCli(argv, context);
  return { code, stdout, stderr };
}

export const auth = ['--access-key', 'AK', '--secret-key', 'SK'];

export function client(endpoint: string): string[] {
  return ['--endpoint', endpoint, ...auth];
}
