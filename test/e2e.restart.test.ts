import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compareTrees } from './support/compare-trees.js';
import { generateRealisticTree } from './support/realistic-tree.js';
import {
  createReadyVolume,
  seedReplicationBody,
  waitForReplicationStatus,
} from './helpers/replication-flow.js';
import { countRuns } from './helpers/runs-db.js';
import { SignedClient } from './helpers/signed-client.js';
import { waitFor } from './helpers/wait.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Starts `serve-child.ts` with tsx and resolves with the URL and root key it prints. */
async function startChild(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./helpers/serve-child.ts', import.meta.url))],
    {
      env: { ...process.env, SCPFS_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const info = JSON.parse(firstLine) as { url: string; accessKey: string; secretKey: string };
  return { child, client: new SignedClient(info.url, info) };
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('restart during a baseline', () => {
  it('resumes and completes the replication', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'scpfs-restart-'));
    dirs.push(dataDir);
    const first = await startChild(dataDir, { SCPFS_TEST_SLOW_FILE_MS: '5' });
    const source = await createReadyVolume(first.client, 'restart_src');
    await generateRealisticTree(source.path, { files: 600, seed: 7 });

    const created = await first.client.post('/v1/replications', seedReplicationBody(source.id));
    expect(created.status).toBe(202);
    const { replication_id: replicationId, replication_volume_id: replicaId } = created.body;
    const staging = path.join(
      dataDir,
      'regions',
      'kr-east1',
      '.scpfs',
      'work',
      replicationId,
      'staging',
    );
    await waitFor(
      async () =>
        (await readdir(staging, { recursive: true }).catch(() => [])).length > 50
          ? true
          : undefined,
      'staging under way',
    );
    await killHard(first.child);
    expect(countRuns(dataDir, replicationId, 'succeeded')).toBe(0);

    const second = await startChild(dataDir);
    await waitForReplicationStatus(second.client, replicationId, source.id, 'available');
    const replica = await second.client.get(`/v1/volumes/${replicaId}`);
    expect(
      await compareTrees(source.path, replica.body.path, { mtimeToleranceNs: 1_000n }),
    ).toEqual([]);
    expect(countRuns(dataDir, replicationId, 'interrupted')).toBe(1);
    await killHard(second.child);
  });
});
