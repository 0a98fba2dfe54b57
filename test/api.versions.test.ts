import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectShape, VOLUME_LIST } from './helpers/shapes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('GET /', () => {
  it('lists versions without a signature', async () => {
    const response = await fetch(`${t.server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body: any = await response.json();
    expect(body).toEqual({
      versions: [
        {
          id: 'v1.1',
          status: 'CURRENT',
          not_before: '',
          links: [{ href: `${t.server.url}/`, rel: 'self' }],
        },
        {
          id: 'v1.0',
          status: 'DEPRECATED',
          not_before: '2025-12-31',
          links: [{ href: `${t.server.url}/`, rel: 'self' }],
        },
      ],
    });
  });
});

describe('Scp-Api-Version', () => {
  it('defaults to 1.1 without deprecation headers', async () => {
    const response = await t.client.get('/v1/volumes', { version: null });
    expect(response.status).toBe(200);
    expectShape(response.body, VOLUME_LIST);
    expect(response.headers.get('deprecation')).toBeNull();
  });

  it('serves 1.0 with Deprecation and Sunset headers', async () => {
    const response = await t.client.get('/v1/volumes', { version: '1.0' });
    expect(response.status).toBe(200);
    expectShape(response.body, VOLUME_LIST);
    expect(response.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(response.headers.get('sunset')).toBe('Wed, 31 Dec 2025 00:00:00 GMT');
  });

  it('rejects an unknown version listing the supported ones', async () => {
    const response = await t.client.get('/v1/volumes', {
      headers: { 'Scp-API-Version': 'filestorage 2.0' },
    });
    const detail = expectError(response, 400, 'UNSUPPORTED_API_VERSION');
    expect(detail).toContain('filestorage 1.1, filestorage 1.0');
  });

  it('rejects another service name', async () => {
    const response = await t.client.get('/v1/volumes', {
      headers: { 'Scp-API-Version': 'blockstorage 1.1' },
    });
    expectError(response, 400, 'UNSUPPORTED_API_VERSION');
  });
});

describe('Scp-Api-Version with 1.0 disabled', () => {
  let disabled: TestServer;
  beforeAll(async () => {
    disabled = await startTestServer({ apiV10Enabled: false });
  });
  afterAll(() => disabled.stop());

  it('rejects 1.0 and drops it from the versions list', async () => {
    expectError(
      await disabled.client.get('/v1/volumes', { version: '1.0' }),
      400,
      'UNSUPPORTED_API_VERSION',
    );
    const body: any = await (await fetch(`${disabled.server.url}/`)).json();
    expect(body.versions.map((v: { id: string }) => v.id)).toEqual(['v1.1']);
  });
});
