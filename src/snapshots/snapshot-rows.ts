import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { SnapshotTable } from '../store/schema.js';
import type { Volume } from '../volumes/volume.js';
import { snapshotName } from './snapshot-name.js';
import type { SnapshotKind } from './snapshot.js';

/** Builds the row of a new `creating` snapshot of `volume`, named after the volume and `at`. */
export function newSnapshotRow(
  volume: Pick<Volume, 'id' | 'accountId' | 'region' | 'name'>,
  kind: SnapshotKind,
  at: Date,
  timeZone: string,
  extra: { scheduleId?: string; jobOwner?: string } = {},
): Insertable<SnapshotTable> {
  const nowIso = at.toISOString();
  return {
    id: randomUUID(),
    account_id: volume.accountId,
    volume_id: volume.id,
    region: volume.region,
    name: snapshotName(volume.name, at, timeZone),
    kind,
    state: 'creating',
    schedule_id: extra.scheduleId ?? null,
    size_bytes: null,
    capture_ctime_ns: null,
    job_owner: extra.jobOwner ?? null,
    error: null,
    created_at: nowIso,
    updated_at: nowIso,
  };
}
