import path from 'node:path';
import SQLite from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import type { ClientResponse, RequestOptions } from './helpers/signed-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Every operation of the contract, with `{id}` where a path id goes.
const OPERATIONS: [string, string][] = [
  ['GET', '/v1/volumes'],
  ['POST', '/v1/volumes'],
  ['GET', '/v1/volumes/{id}'],
  ['PUT', '/v1/volumes/{id}'],
  ['DELETE', '/v1/volumes/{id}'],
  ['GET', '/v1/volumes/{id}/access-rules'],
  ['PUT', '/v1/volumes/{id}/access-rules'],
  ['GET', '/v1/snapshots'],
  ['POST', '/v1/snapshots'],
  ['DELETE', '/v1/snapshots/{id}'],
  ['PUT', '/v1/snapshots/{id}/restore'],
  ['GET', '/v1/snapshot-schedules'],
  ['POST', '/v1/snapshot-schedules'],
  ['PUT', '/v1/snapshot-schedules/{id}'],
  ['DELETE', '/v1/snapshot-schedules/{id}'],
  ['GET', '/v1/replications'],
  ['POST', '/v1/replications'],
  ['GET', '/v1/replications/{id}'],
  ['PUT', '/v1/replications/{id}'],
  ['DELETE', '/v1/replications/{id}'],
  ['GET', '/v1/replications/regions'],
];

const REQUIRED_BODY_FIELDS: Record<string, string> = {
  'POST /v1/volumes': 'name',
  'PUT /v1/volumes/{id}': 'file_unit_recovery_enabled',
  'PUT /v1/volumes/{id}/access-rules': 'action',
  'POST /v1/snapshots': 'volume_id',
  'POST /v1/snapshot-schedules': 'snapshot_schedule',
  'PUT /v1/snapshot-schedules/{id}': 'snapshot_schedule',
  'POST /v1/replications': 'volume_id',
  'PUT /v1/replications/{id}': 'replication_update_type',
};

let t: TestServer;
let knownVolumeId: string;
beforeAll(async () => {
  t = await startTestServer();
  const source = await createReadyVolume(t.client, 'fuzz_source');
  knownVolumeId = source.id;
  const created = await t.client.post('/v1/replications', seedReplicationBody(source.id));
  await waitForReplicationStatus(t.client, created.body.replication_id, source.id, 'available');
  const pause = { replication_update_type: 'policy', replication_policy: 'paused' };
  await t.client.request('PUT', `/v1/replications/${created.body.replication_id}`, {
    query: `volume_id=${source.id}`,
    body: pause,
  });
});
afterAll(() => t.stop());

/** Serializes every stored row, to prove that rejected requests change nothing. */
function storedState(): string {
  const db = new SQLite(path.join(t.dataDir, 'scpfs.sqlite'), { readonly: true });
  try {
    const tables = ['accounts', 'access_keys', 'volumes', 'replications', 'volume_access_rules'];
    return JSON.stringify(
      tables.map((table) => db.prepare(`select * from ${table} order by 1`).all()),
    );
  } finally {
    db.close();
  }
}

const unknownId = fc.oneof(
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constant('a'.repeat(5000)),
  // Sent without encoding: broken percent-encoding and dot segments.
  fc.constantFrom('%zz', '%E0%A4%A', '..%2F..%2Fetc', '%00'),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
);
const query = fc
  .dictionary(
    fc.constantFrom(
      'volume_id',
      'limit',
      'offset',
      'sort',
      'name',
      'type_name',
      'replication_type',
      'x',
    ),
    queryValue,
    { maxKeys: 4 },
  )
  .map((entries) => new URLSearchParams(entries).toString());
const jsonBody = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.string({ maxLength: 30 }), fc.jsonValue(), { maxKeys: 8 }),
);
const operation = fc.constantFrom(...OPERATIONS);

/** Expands an operation into a request with one defect that must make it fail with a 4xx. */
const defectiveRequest = fc.oneof(
  fc.record({
    kind: fc.constant('auth' as const),
    op: operation,
    defect: fc.constantFrom('no-signature', 'wrong-secret', 'old-timestamp', 'bad-timestamp'),
  }),
  fc.record({
    kind: fc.constant('version' as const),
    op: operation,
    version: fc
      .string({ maxLength: 30 })
      .filter((v) => !/^\s*filestorage\s+1\.[01]\s*$/i.test(v) && v.trim() !== ''),
  }),
  fc.record({
    kind: fc.constant('path-id' as const),
    op: operation.filter(([, p]) => p.includes('{id}')),
    id: unknownId,
    query,
    body: jsonBody,
  }),
  fc.record({
    kind: fc.constant('body' as const),
    op: operation.filter(([m, p]) => `${m} ${p}` in REQUIRED_BODY_FIELDS),
    body: jsonBody,
    raw: fc.option(fc.string({ maxLength: 60 })),
  }),
  fc.record({
    kind: fc.constant('query' as const),
    op: fc.constantFrom<[string, string]>(
      ['GET', '/v1/volumes'],
      ['GET', '/v1/replications'],
      ['GET', '/v1/snapshots'],
      ['GET', '/v1/snapshot-schedules'],
    ),
    query,
    badVolumeList: fc.constantFrom(
      'limit=0',
      'offset=-3',
      'sort=size',
      'limit=abc',
      'type_name=NVME',
    ),
  }),
);

type Defective = typeof defectiveRequest extends fc.Arbitrary<infer T> ? T : never;

function encodePathId(id: string): string {
  return id.startsWith('%') || id.startsWith('..') ? id : encodeURIComponent(id);
}

async function send(request: Defective): Promise<ClientResponse> {
  const [method, template] = request.op;
  const id = request.kind === 'path-id' ? encodePathId(request.id) : knownVolumeId;
  const pathname = template.replace('{id}', id);
  const options: RequestOptions = {};
  switch (request.kind) {
    case 'auth':
      if (request.defect === 'no-signature') options.omitHeaders = ['Scp-Signature'];
      if (request.defect === 'wrong-secret') options.secretKey = 'not-the-secret';
      if (request.defect === 'old-timestamp') options.timestamp = String(Date.now() - 3_600_000);
      if (request.defect === 'bad-timestamp') options.timestamp = 'yesterday';
      break;
    case 'version':
      options.headers = { 'Scp-API-Version': request.version };
      break;
    case 'path-id':
      options.query = request.query;
      if (method !== 'GET' && method !== 'DELETE') options.body = request.body;
      break;
    case 'body': {
      const field = REQUIRED_BODY_FIELDS[`${method} ${template}`]!;
      const body = request.body;
      if (request.raw !== null) options.rawBody = request.raw;
      else if (body !== null && typeof body === 'object' && !Array.isArray(body))
        options.body = { ...body, [field]: undefined };
      else options.body = body;
      options.query = `volume_id=${knownVolumeId}`;
      break;
    }
    case 'query': {
      // ListVolumes ignores volume_id; the other lists require a non-empty one.
      const bad = template === '/v1/volumes' ? request.badVolumeList : 'volume_id=';
      const kept = new URLSearchParams(request.query);
      kept.delete(bad.split('=')[0]!);
      options.query = [kept.toString(), bad].filter(Boolean).join('&');
      break;
    }
  }
  return t.client.request(method, pathname, options);
}

describe('malformed requests', () => {
  it('always get a 4xx with the error body and change nothing', async () => {
    const before = storedState();
    await fc.assert(
      fc.asyncProperty(defectiveRequest, async (request) => {
        const response = await send(request);
        expect(
          response.status,
          `${JSON.stringify(request)} -> ${response.text}`,
        ).toBeGreaterThanOrEqual(400);
        expect(response.status, `${JSON.stringify(request)} -> ${response.text}`).toBeLessThan(500);
        expect(Object.keys(response.body)).toEqual(['errors']);
        const [error] = response.body.errors;
        expect(error.status).toBe(response.status);
        expect(typeof error.code).toBe('string');
        expect(typeof error.detail).toBe('string');
      }),
      { numRuns: 2000 },
    );
    expect(storedState()).toBe(before);
  }, 300_000);
});
