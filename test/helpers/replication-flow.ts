import { expect } from 'vitest';
import type { SignedClient } from './signed-client.js';
import { waitFor } from './wait.js';

/** Creates an NFS volume and waits until it is available; returns its id and directory. */
export async function createReadyVolume(
  client: SignedClient,
  name: string,
): Promise<{ id: string; path: string }> {
  const created = await client.post('/v1/volumes', { name, protocol: 'NFS', type_name: 'HDD' });
  expect(created.status, created.text).toBe(202);
  const id = created.body.volume_id as string;
  const show = await waitFor(async () => {
    const response = await client.get(`/v1/volumes/${id}`);
    return response.body.state === 'available' ? response.body : undefined;
  }, `volume ${id} available`);
  return { id, path: show.path as string };
}

/** Polls ShowVolumeReplication through the source volume until the status matches. */
export async function waitForReplicationStatus(
  client: SignedClient,
  replicationId: string,
  volumeId: string,
  status: string,
  timeoutMs = 120_000,
): Promise<void> {
  await waitFor(
    async () => {
      const show = await client.get(`/v1/replications/${replicationId}`, {
        query: `volume_id=${volumeId}`,
      });
      if (show.body.replication_status === 'error')
        throw new Error(`replication failed: ${show.text}`);
      return show.body.replication_status === status ? true : undefined;
    },
    `replication ${replicationId} ${status}`,
    timeoutMs,
    200,
  );
}

/** Builds the seed request of CreateVolumeReplication for a source volume and target region. */
export function seedReplicationBody(volumeId: string, region = 'kr-east1') {
  return {
    name: 'my_volume',
    cifs_password: 'cifspwd0!!',
    replication_frequency: '5min',
    region,
    volume_id: volumeId,
    backup_retention_count: 2,
    replication_type: 'replication',
  };
}
