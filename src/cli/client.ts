import { computeSignature } from '../auth/signature.js';

/** API version sent in `Scp-Api-Version`. */
export type ApiVersion = '1.1' | '1.0';

export interface ScpClientOptions {
  /** Service root such as `http://127.0.0.1:8080`. A trailing slash is ignored. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** Defaults to 1.1. */
  apiVersion?: ApiVersion;
  /** `Accept-Language` value, which selects the language of error details. Defaults to en-US. */
  acceptLanguage?: string;
  /** Sent as `Scp-AccountId` and signed. When empty or absent, no header is sent and `''` is signed. */
  accountId?: string;
  /** Per-request timeout in milliseconds. Defaults to 30 000. */
  requestTimeoutMs?: number;
  /** Clock for `Scp-Timestamp`, in Unix milliseconds. Defaults to Date.now. */
  now?: () => number;
}

/** Query parameters, sent in insertion order. Null and undefined values are left out. */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: QueryParams;
  /** Serialized as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Extra headers, sent unsigned like every header but the signed ones. */
  headers?: Record<string, string>;
}

export interface ScpResponse {
  status: number;
  headers: Headers;
  /** Raw response body. */
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
}

/**
 * Network failure before any HTTP response arrived. `code` is the system error code such as
 * ECONNREFUSED when one is known, and `reason` is the innermost cause's message.
 */
export class ScpConnectionError extends Error {
  readonly code: string | undefined;
  readonly reason: string;

  constructor(
    readonly endpoint: string,
    options: { cause: unknown },
  ) {
    const causes = causeChain(options.cause);
    const reason = causes.at(-1)?.message ?? String(options.cause);
    super(`request to ${endpoint} failed: ${reason}`, options);
    this.name = 'ScpConnectionError';
    this.code = causes.map((cause) => (cause as NodeJS.ErrnoException).code).find(isSystemCode);
    this.reason = reason;
  }
}

/** Request that got no response within the client's timeout. */
export class ScpTimeoutError extends Error {
  constructor(
    readonly endpoint: string,
    readonly timeoutMs: number,
  ) {
    super(`request to ${endpoint} timed out after ${timeoutMs} ms`);
    this.name = 'ScpTimeoutError';
  }
}

/**
 * HTTP client for the SCP File Storage OpenAPI that signs every request the way the official
 * SDK does: HMAC-SHA256 over method, absolute URL, timestamp, access key, account ID and client
 * type. Non-2xx responses are returned, not thrown.
 */
export class ScpClient {
  readonly endpoint: string;
  readonly #options: ScpClientOptions;

  constructor(options: ScpClientOptions) {
    this.endpoint = normalizeEndpoint(options.endpoint);
    this.#options = options;
  }

  /** Sends a signed request to `path` (starting with `/`) and reads the whole response. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<ScpResponse> {
    const url = this.buildUrl(path, options.query);
    const headers = { ...this.signedHeaders(method, url), ...options.headers };
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    const response = await this.#fetch(url, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: parseJson(text) };
  }

  /** Builds the absolute URL that is both requested and signed. */
  buildUrl(path: string, query: QueryParams = {}): string {
    const search = encodeQuery(query);
    return new URL(this.endpoint + path + (search ? `?${search}` : '')).href;
  }

  /** Returns the authentication, version and language headers for one request. */
  signedHeaders(method: string, url: string): Record<string, string> {
    const timestamp = String((this.#options.now ?? Date.now)());
    const accountId = this.#options.accountId ?? '';
    const parts = { method, url, timestamp, accessKey: this.#options.accessKey, accountId };
    const signature = computeSignature(this.#options.secretKey, {
      ...parts,
      clientType: 'Openapi',
    });
    const headers: Record<string, string> = {
      'Scp-AccessKey': this.#options.accessKey,
      'Scp-Signature': signature,
      'Scp-Timestamp': timestamp,
      'Scp-ClientType': 'Openapi',
      'Scp-Api-Version': `filestorage ${this.#options.apiVersion ?? '1.1'}`,
      'Accept-Language': this.#options.acceptLanguage ?? 'en-US',
    };
    if (accountId) headers['Scp-AccountId'] = accountId;
    return headers;
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    const timeoutMs = this.#options.requestTimeoutMs ?? 30_000;
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'TimeoutError') {
        throw new ScpTimeoutError(this.endpoint, timeoutMs);
      }
      throw new ScpConnectionError(this.endpoint, { cause: err });
    }
  }
}

/** Checks that `endpoint` is an http(s) URL and returns it without query and trailing slash. */
export function normalizeEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`endpoint must be an http or https URL, got ${endpoint}`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Encodes query parameters in insertion order, percent-encoding keys and values. */
export function encodeQuery(query: QueryParams): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Lists an error and its nested causes, outermost first, up to a few levels deep. */
function causeChain(err: unknown): Error[] {
  const chain: Error[] = [];
  for (let current = err; current instanceof Error && chain.length < 5; current = current.cause) {
    chain.push(current);
  }
  return chain;
}

function isSystemCode(code: unknown): code is string {
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
