import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSignature } from '../src/auth/signature.js';
import { ScpClient, ScpConnectionError, ScpTimeoutError, encodeQuery } from '../src/cli/client.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Reply {
  status: number;
  text?: string;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts an HTTP server on 127.0.0.1 that records requests and sends the handler's reply. */
async function startRecorder(
  reply: (request: Recorded) => Reply | undefined = () => ({ status: 200, text: '{}' }),
) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
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
      if (!answer) return; // leave the request hanging
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.text ?? '');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, server };
}

const keys = { accessKey: 'AKTEST', secretKey: 'SKTEST0123456789' };

function expectedSignature(endpoint: string, request: Recorded, accountId = ''): string {
  return computeSignature(keys.secretKey, {
    method: request.method,
    url: endpoint + request.url,
    timestamp: String(request.headers['scp-timestamp']),
    accessKey: keys.accessKey,
    accountId,
    clientType: 'Openapi',
  });
}

describe('ScpClient', () => {
  it('signs the URL with the query in insertion order', async () => {
    const { endpoint, requests } = await startRecorder();
    const client = new ScpClient({ endpoint, ...keys, now: () => 1718000000000 });
    const query = {
      offset: 0,
      limit: 20,
      name: undefined,
      sort: 'created_at:desc',
      type_name: 'HDD',
    };
    await client.request('GET', '/v1/volumes', { query });

    const request = requests[0]!;
    expect(request.url).toBe('/v1/volumes?offset=0&limit=20&sort=created_at%3Adesc&type_name=HDD');
    expect(request.headers['scp-timestamp']).toBe('1718000000000');
    expect(request.headers['scp-signature']).toBe(expectedSignature(endpoint, request));
  });

  it('sends the SCP headers', async () => {
    const { endpoint, requests } = await startRecorder();
    const client = new ScpClient({ endpoint, ...keys, apiVersion: '1.0', acceptLanguage: 'ko-KR' });
    await client.request('GET', '/v1/volumes');

    const { headers } = requests[0]!;
    expect(headers['scp-accesskey']).toBe('AKTEST');
    expect(headers['scp-clienttype']).toBe('Openapi');
    expect(headers['scp-api-version']).toBe('filestorage 1.0');
    expect(headers['accept-language']).toBe('ko-KR');
    expect(headers['scp-accountid']).toBeUndefined();
    expect(headers.host).toBe(endpoint.slice('http://'.length));
  });

  it('defaults to version 1.1 and en-US', async () => {
    const { endpoint, requests } = await startRecorder();
    await new ScpClient({ endpoint, ...keys }).request('GET', '/v1/volumes');
    expect(requests[0]!.headers['scp-api-version']).toBe('filestorage 1.1');
    expect(requests[0]!.headers['accept-language']).toBe('en-US');
  });

  it('signs and sends an account ID', async () => {
    const { endpoint, requests } = await startRecorder();
    await new ScpClient({ endpoint, ...keys, accountId: 'acc-1' }).request('GET', '/v1/volumes');
    const request = requests[0]!;
    expect(request.headers['scp-accountid']).toBe('acc-1');
    expect(request.headers['scp-signature']).toBe(expectedSignature(endpoint, request, 'acc-1'));
  });

  it('sends a JSON body and extra headers', async () => {
    const { endpoint, requests } = await startRecorder(() => ({
      status: 202,
      text: '{"volume_id":"v1"}',
    }));
    const client = new ScpClient({ endpoint, ...keys });
    const body = { name: 'abc', protocol: 'NFS' };
    const response = await client.request('POST', '/v1/volumes', {
      body,
      headers: { 'X-Scpfs-Region': 'kr-east1' },
    });

    const request = requests[0]!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-scpfs-region']).toBe('kr-east1');
    expect(request.body).toBe('{"name":"abc","protocol":"NFS"}');
    expect(response).toMatchObject({
      status: 202,
      text: '{"volume_id":"v1"}',
      body: { volume_id: 'v1' },
    });
  });

  it('returns error statuses without throwing', async () => {
    const errors = { errors: [{ status: 404, code: 'NOT_FOUND', detail: 'no such volume' }] };
    const { endpoint } = await startRecorder(() => ({ status: 404, text: JSON.stringify(errors) }));
    const response = await new ScpClient({ endpoint, ...keys }).request('GET', '/v1/volumes/x');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errors);
  });

  it('leaves an empty or non-JSON body undefined', async () => {
    const replies = [
      { status: 202, text: '' },
      { status: 500, text: 'Internal' },
    ];
    const { endpoint } = await startRecorder(() => replies.shift());
    const client = new ScpClient({ endpoint, ...keys });
    expect(await client.request('DELETE', '/v1/volumes/x')).toMatchObject({
      text: '',
      body: undefined,
    });
    expect(await client.request('GET', '/v1/volumes')).toMatchObject({
      text: 'Internal',
      body: undefined,
    });
  });

  it('encodes path and base path', async () => {
    const { endpoint } = await startRecorder();
    const client = new ScpClient({ endpoint: `${endpoint}/fs/`, ...keys });
    expect(client.buildUrl('/v1/volumes', { volume_id: 'a b&c' })).toBe(
      `${endpoint}/fs/v1/volumes?volume_id=a%20b%26c`,
    );
  });

  it('reports a refused connection', async () => {
    const { endpoint, server } = await startRecorder();
    await new Promise((resolve) => server.close(resolve));
    const client = new ScpClient({ endpoint, ...keys });
    const error = await client.request('GET', '/v1/volumes').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ScpConnectionError);
    expect((error as ScpConnectionError).code).toBe('ECONNREFUSED');
    expect((error as ScpConnectionError).endpoint).toBe(endpoint);
  });

  it('times out a request without a response', async () => {
    const { endpoint } = await startRecorder(() => undefined);
    const client = new ScpClient({ endpoint, ...keys, requestTimeoutMs: 100 });
    const error = await client.request('GET', '/v1/volumes').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ScpTimeoutError);
  });
});

describe('encodeQuery', () => {
  it('skips null and undefined', () => {
    expect(encodeQuery({ a: 1, b: null, c: undefined, d: false })).toBe('a=1&d=false');
  });

  it('percent-encodes keys and values', () => {
    expect(encodeQuery({ 'k y': 'name:asc/ü' })).toBe('k%20y=name%3Aasc%2F%C3%BC');
  });
});
