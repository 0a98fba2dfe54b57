import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import { ApiError } from '../errors/api-error.js';
import type { Database } from '../store/schema.js';
import { findVolume } from '../volumes/volume-repository.js';
import type { Volume } from '../volumes/volume.js';
import {
  findSnapshotOfAccount,
  findSnapshotOfVolume,
  insertSnapshot,
  listSnapshotsOfVolume,
  listVolumesCreatingFrom,
} from './snapshot-repository.js';
import { newSnapshotRow } from './snapshot-rows.js';
import type { Snapshot } from './snapshot.js';
import { transitionSnapshot } from './transitions.js';
import { setVolumeStateIf } from './volume-states.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Snapshot use cases of the API. Files are captured, restored and removed by the job runner.
 *
 * Conflict rules (409): a snapshot is taken only of an `available` volume. A restore needs an
 * `available` snapshot and an `available` volume that is not a replica or backup target, whose
 * content follows the replication source. The volume is `restoring` until the runner is done,
 * which also blocks new snapshots and a second restore. A snapshot is deleted only when it is
 * `available` or `error`, and not while a volume is being created from it. Deleting one that is
 * already `deleting` is accepted again. Snapshots are removed together with their volume.
 */
export class SnapshotService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Pick<Config, 'timeZone'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Requests a snapshot of an `available` volume; it is `creating` until the runner copies it. */
  async create(accountId: string, volumeId: string): Promise<Snapshot> {
    const snapshot = await this.db.transaction().execute(async (trx) => {
      const volume = await findOwnVolume(trx, accountId, volumeId);
      requireAvailable(volume, 'CreateVolumeSnapshot');
      const row = newSnapshotRow(volume, 'manual', this.clock.now(), this.config.timeZone);
      return insertSnapshot(trx, row);
    });
    this.logger.info({ snapshotId: snapshot.id, volumeId }, 'snapshot requested');
    return snapshot;
  }

  /** Snapshots of a volume, newest first. */
  async list(accountId: string, volumeId: string): Promise<Snapshot[]> {
    await findOwnVolume(this.db, accountId, volumeId);
    return listSnapshotsOfVolume(this.db, volumeId);
  }

  /** Marks a snapshot `deleting`; the runner removes its files and row. */
  async delete(accountId: string, volumeId: string, snapshotId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await findOwnVolume(trx, accountId, volumeId);
      const snapshot = await findOwnSnapshot(trx, accountId, volumeId, snapshotId);
      if (snapshot.state === 'deleting') return;
      await requireDeletable(trx, snapshot);
      await transitionSnapshot(trx, this.logger, snapshot, 'deleting', this.clock.now());
    });
  }

  /** Starts a restore: the snapshot and its volume are `restoring` until the runner is done. */
  async restore(accountId: string, volumeId: string, snapshotId: string): Promise<Snapshot> {
    return this.db.transaction().execute(async (trx) => {
      const volume = await findOwnVolume(trx, accountId, volumeId);
      const snapshot = await findOwnSnapshot(trx, accountId, volumeId, snapshotId);
      if (volume.purpose !== 'none') {
        throw new ApiError('VOLUME_IS_REPLICATION_TARGET', { volumeId, purpose: volume.purpose });
      }
      if (snapshot.state !== 'available') {
        throw new ApiError('SNAPSHOT_NOT_AVAILABLE', { snapshotId, state: snapshot.state });
      }
      requireAvailable(volume, 'SetVolumeSnapshot');
      const now = this.clock.now();
      await setVolumeStateIf(trx, volumeId, 'available', 'restoring', now);
      await transitionSnapshot(trx, this.logger, snapshot, 'restoring', now);
      return { ...snapshot, state: 'restoring' };
    });
  }
}

async function findOwnVolume(db: Db, accountId: string, volumeId: string): Promise<Volume> {
  const volume = await findVolume(db, accountId, volumeId);
  if (!volume) throw new ApiError('VOLUME_NOT_FOUND', { volumeId }, { field: 'volume_id' });
  return volume;
}

async function findOwnSnapshot(
  db: Db,
  accountId: string,
  volumeId: string,
  snapshotId: string,
): Promise<Snapshot> {
  const snapshot = await findSnapshotOfVolume(db, accountId, volumeId, snapshotId);
  if (!snapshot) {
    throw new ApiError('SNAPSHOT_NOT_FOUND', { snapshotId }, { field: 'snapshot_id' });
  }
  return snapshot;
}

function requireAvailable(volume: Volume, operation: string): void {
  if (volume.state !== 'available') {
    throw new ApiError('VOLUME_NOT_AVAILABLE', {
      volumeId: volume.id,
      state: volume.state,
      operation,
    });
  }
}

async function requireDeletable(db: Db, snapshot: Snapshot): Promise<void> {
  const snapshotId = snapshot.id;
  if (snapshot.state === 'creating') {
    throw new ApiError('SNAPSHOT_IN_USE', {
      snapshotId,
      use_en: 'it is being created',
      use_ko: '생성 중이므로',
    });
  }
  if (snapshot.state === 'restoring') {
    throw new ApiError('SNAPSHOT_IN_USE', {
      snapshotId,
      use_en: 'it is being restored into its volume',
      use_ko: '볼륨으로 복원 중이므로',
    });
  }
  const [creatingVolumeId] = await listVolumesCreatingFrom(db, snapshotId);
  if (creatingVolumeId !== undefined) {
    throw new ApiError('SNAPSHOT_IN_USE', {
      snapshotId,
      use_en: `volume '${creatingVolumeId}' is being created from it`,
      use_ko: `볼륨 '${creatingVolumeId}'를 이 스냅샷으로 생성하는 중이므로`,
    });
  }
}

/**
 * Checks the `snapshot_id` of CreateVolume: the snapshot must belong to the account (404
 * otherwise) and be `available` (409 otherwise).
 * NOTE: the new volume may be in another region than the snapshot. The embedded mode copies
 * between region directories of one machine, and no other mode exists yet.
 */
export async function requireSnapshotForNewVolume(
  db: Db,
  accountId: string,
  snapshotId: string,
): Promise<Snapshot> {
  const snapshot = await findSnapshotOfAccount(db, accountId, snapshotId);
  if (!snapshot) {
    throw new ApiError('SNAPSHOT_NOT_FOUND', { snapshotId }, { field: 'snapshot_id' });
  }
  if (snapshot.state !== 'available') {
    throw new ApiError('SNAPSHOT_NOT_AVAILABLE', { snapshotId, state: snapshot.state });
  }
  return snapshot;
}
