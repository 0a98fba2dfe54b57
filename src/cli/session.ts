import path from 'node:path';
import { ScpClient, type RequestOptions, type ScpResponse } from './client.js';
import type { CliContext } from './context.js';
import { resolveCredentials } from './credentials.js';
import { ApiResponseError, CliError, ResponseStatusError } from './errors.js';
import type { Messages } from './messages.js';
import {
  API_VERSIONS,
  OUTPUT_FORMATS,
  checkChoice,
  checkEndpoint,
  checkInteger,
} from './validate.js';

/** Options that every command accepts, as commander parsed them. */
export interface GlobalOptions {
  endpoint?: string;
  accessKey?: string;
  secretKey?: string;
  dataDir?: string;
  apiVersion?: string;
  output?: string;
  lang?: string;
  waitTimeout?: string;
}

const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080';
const DEFAULT_WAIT_TIMEOUT_S = 600;
/** Upper bound of --wait-timeout: one week. */
const MAX_WAIT_TIMEOUT_S = 7 * 24 * 3600;

/**
 * One CLI invocation's view of the service: validated global options, a lazily built signing
 * client, and the printers. Commands take a Session so they run the same in tests.
 */
export class Session {
  readonly format: 'table' | 'json';
  readonly waitTimeoutMs: number;
  readonly #globals: GlobalOptions;
  #client: ScpClient | undefined;

  constructor(
    readonly context: CliContext,
    readonly messages: Messages,
    globals: GlobalOptions,
  ) {
    this.#globals = globals;
    this.format = checkChoice('--output', globals.output ?? 'table', OUTPUT_FORMATS);
    const timeoutS = checkInteger('--wait-timeout', globals.waitTimeout, 1, MAX_WAIT_TIMEOUT_S);
    this.waitTimeoutMs = (timeoutS ?? DEFAULT_WAIT_TIMEOUT_S) * 1000;
  }

  /** Absolute data directory from --data-dir, SCPFS_DATA_DIR or ./data. */
  get dataDir(): string {
    const dir = this.#globals.dataDir ?? this.context.env.SCPFS_DATA_DIR ?? './data';
    return path.resolve(this.context.cwd, dir);
  }

  /** Returns the signing client, resolving endpoint and credentials on first use. */
  client(): ScpClient {
    this.#client ??= this.#createClient();
    return this.#client;
  }

  /** Sends a request and returns the response, raising on any status of 300 or above. */
  async call(method: string, path: string, options: RequestOptions = {}): Promise<ScpResponse> {
    const response = await this.client().request(method, path, options);
    if (response.status >= 300) throw errorFromResponse(response);
    if (response.text !== '' && response.body === undefined) {
      throw new CliError('error.notJson', {
        status: response.status,
        body: excerpt(response.text),
      });
    }
    return response;
  }

  /** Prints the response body unchanged in json format, or the rendered text otherwise. */
  printResult(response: ScpResponse, renderTable: () => string): void {
    if (this.format === 'json') {
      if (response.text !== '') this.printLine(response.text);
      return;
    }
    this.printLine(renderTable());
  }

  /** Prints a line for people in table format. The json format prints only response bodies. */
  printNote(text: string): void {
    if (this.format === 'table') this.printLine(text);
  }

  printLine(text: string): void {
    this.context.output.stdout(`${text}\n`);
  }

  printProgress(text: string): void {
    this.context.output.stderr(`${text}\n`);
  }

  #createClient(): ScpClient {
    const { env } = this.context;
    const endpoint = checkEndpoint(
      this.#globals.endpoint ?? (env.SCPFS_ENDPOINT || DEFAULT_ENDPOINT),
    );
    const apiVersion = checkChoice(
      '--api-version',
      this.#globals.apiVersion ?? '1.1',
      API_VERSIONS,
    );
    const credentials = resolveCredentials({
      accessKey: this.#globals.accessKey,
      secretKey: this.#globals.secretKey,
      env,
      dataDir: this.dataDir,
      readFile: this.context.readFile,
    });
    const acceptLanguage = this.messages.acceptLanguage();
    return new ScpClient({
      endpoint,
      ...credentials,
      apiVersion,
      acceptLanguage,
      now: this.context.now,
    });
  }
}

/** Builds the error for a failed response from its `errors` body, or from the raw text. */
export function errorFromResponse(response: ScpResponse): ResponseStatusError {
  const first = firstApiError(response.body);
  if (first) return new ApiResponseError(first.status ?? response.status, first.code, first.detail);
  const body = excerpt(response.text);
  const key = response.text === '' || response.body !== undefined ? 'error.http' : 'error.notJson';
  return new ResponseStatusError(response.status, key, { status: response.status, body });
}

interface ApiErrorItem {
  status?: number;
  code: string;
  detail: string;
}

function firstApiError(body: unknown): ApiErrorItem | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  const first = Array.isArray(errors)
    ? (errors[0] as Record<string, unknown> | undefined)
    : undefined;
  if (!first || typeof first.code !== 'string' || typeof first.detail !== 'string')
    return undefined;
  const status = typeof first.status === 'number' ? first.status : undefined;
  return { status, code: first.code, detail: first.detail };
}

/** Shortens a response body for an error message. */
function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
