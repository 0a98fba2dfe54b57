import { computeSignature } from '../../src/auth/signature.js';

export interface ClientResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, `undefined` when the body is empty. */
  body: any;
}

export interface RequestOptions {
  query?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  version?: '1.1' | '1.0' | null;
  language?: string | null;
  timestamp?: string;
  accountId?: string;
  secretKey?: string;
  omitHeaders?: string[];
}

/** An HTTP client that signs every request as the official SDK does. */
export class SignedClient {
  constructor(
    readonly baseUrl: string,
    readonly credentials: { accessKey: string; secretKey: string },
  ) {}

  async request(
    method: string,
    pathname: string,
    options: RequestOptions = {},
  ): Promise<ClientResponse> {
    const url = this.baseUrl + pathname + (options.query ? `?${options.query}` : '');
    const headers = this.#headers(method, url, options);
    const body =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (
      body !== undefined &&
      !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
    ) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  get(pathname: string, options?: RequestOptions) {
    return this.request('GET', pathname, options);
  }

  post(pathname: string, body: unknown, options?: RequestOptions) {
    return this.request('POST', pathname, { ...options, body });
  }

  delete(pathname: string, options?: RequestOptions) {
    return this.request('DELETE', pathname, options);
  }

  #headers(method: string, url: string, options: RequestOptions): Record<string, string> {
    const timestamp = options.timestamp ?? String(Date.now());
    const accountId = options.accountId ?? '';
    const signature = computeSignature(options.secretKey ?? this.credentials.secretKey, {
      method,
      url,
      timestamp,
      accessKey: this.credentials.accessKey,
      accountId,
      clientType: 'Openapi',
    });
    const headers: Record<string, string> = {
      'Scp-AccessKey': this.credentials.accessKey,
      'Scp-Signature': signature,
      'Scp-Timestamp': timestamp,
      'Scp-ClientType': 'Openapi',
      'Scp-AccountId': accountId,
    };
    if (options.version !== null)
      headers['Scp-API-Version'] = `filestorage ${options.version ?? '1.1'}`;
    if (options.language !== null) headers['Accept-Language'] = options.language ?? 'en-US';
    for (const name of options.omitHeaders ?? []) delete headers[name];
    return { ...headers, ...options.headers };
  }
}
