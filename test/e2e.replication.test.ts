import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareTrees } from './support/compare-trees.js';
import { generateRealisticTree, mutateTree } from './support/realistic-tree.js';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import { runOnceMore } from './helpers/runs-db.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// utimes takes seconds as a double, so replica mtimes are exact to about a microsecond.
const MTIME_TOLERANCE_NS = 1_000n;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe.each(['1.1', '1.0'] as const)('replication end to end in API %s', (version) => {
  it('copies a realistic tree and converges after changes', async () => {
    const source = await createReadyVolume(t.client, `e2e_src_${version.replace('.', '')}`);
    await generateRealisticTree(source.path, { files: 3000, seed: version === '1.1' ? 11 : 10 });

    const started = performance.now();
    const created = await t.client.post('/v1/replications', seedReplicationBody(source.id), {
      version,
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body.replication_status).toBe('creating');
    const { replication_id: replicationId, replication_volume_id: replicaId } = created.body;
    await waitForReplicationStatus(t.client, replicationId, source.id, 'available');
    const baselineMs = performance.now() - started;
    process.stdout.write(
      `baseline of the 3000-file test tree (API ${version}): ${baselineMs.toFixed(0)} ms\n`,
    );

    const replica = await t.client.get(`/v1/volumes/${replicaId}`, { version });
    expect(replica.body.purpose).toBe('replication');
    expect(
      await compareTrees(source.path, replica.body.path, { mtimeToleranceNs: MTIME_TOLERANCE_NS }),
    ).toEqual([]);

    await mutateTree(source.path, 99);
    await runOnceMore(t.dataDir, replicationId);
    await waitForReplicationStatus(t.client, replicationId, source.id, 'available');
    expect(
      await compareTrees(source.path, replica.body.path, { mtimeToleranceNs: MTIME_TOLERANCE_NS }),
    ).toEqual([]);
  });
});
