import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/secrets.js';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors/api-error.js';
import { requireSnapshotForNewVolume } from '../snapshots/snapshot-service.js';
import type { Database } from '../store/schema.js';
import {
  listReplicationsOfVolume,
  markReplicationsDeleting,
} from '../replications/replication-repository.js';
import { validateCifsPassword } from './cifs-password.js';
import {
  findVolume,
  insertVolume,
  listVolumes,
  updateVolumeState,
  type VolumeListFilter,
} from './volume-repository.js';
import { VOLUME_TYPE_IDS, type Volume, type VolumePurpose } from './volume.js';

export interface CreateVolumeInput {
  accountId: string;
  name: string;
  protocol: 'NFS' | 'CIFS';
  typeName: string;
  region: string;
  cifsPassword?: string | null;
  snapshotId?: string | null;
  tags?: { key: string; value?: string | null }[] | null;
  purpose?: VolumePurpose;
}

/** Volume use cases. Files are provisioned and removed by the job runner, never here. */
export class VolumeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Inserts a volume in state `creating`; the runner creates its directory and makes it `available`. */
  async create(input: CreateVolumeInput, db: Kysely<Database> = this.db): Promise<Volume> {
    const cifsHash =
      input.protocol === 'CIFS' ? hashPassword(validateCifsPassword(input.cifsPassword)) : null;
    // The runner fills a volume created from a snapshot with its content before it is available.
    if (input.snapshotId) await requireSnapshotForNewVolume(db, input.accountId, input.snapshotId);
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    const purpose = input.purpose ?? 'none';
    await insertVolume(db, {
      id,
      account_id: input.accountId,
      name: `${input.name}_${randomSuffix()}`,
      protocol: input.protocol,
      type_name: input.typeName,
      type_id: VOLUME_TYPE_IDS[input.typeName] ?? VOLUME_TYPE_IDS.HDD!,
      state: 'creating',
      purpose,
      region: input.region,
      access_level: purpose === 'none' ? 'rw' : 'ro',
      cifs_password_hash: cifsHash,
      cifs_id: input.protocol === 'CIFS' ? `cifs_${id.slice(0, 8)}` : null,
      snapshot_id: input.snapshotId || null,
      tags: JSON.stringify(input.tags ?? []),
      file_unit_recovery_enabled: 0,
      encryption_enabled: 0,
      usage_bytes: 0,
      created_at: now,
      updated_at: now,
    });
    this.logger.info({ volumeId: id, region: input.region, purpose }, 'volume created');
    return (await findVolume(db, input.accountId, id))!;
  }

  async show(accountId: string, volumeId: string): Promise<Volume> {
    const volume = await findVolume(this.db, accountId, volumeId);
    if (!volume) throw new ApiError('VOLUME_NOT_FOUND', { volumeId }, { field: 'volume_id' });
    return volume;
  }

  list(filter: VolumeListFilter): Promise<{ count: number; volumes: Volume[] }> {
    return listVolumes(this.db, filter);
  }

  /** Sets file-unit recovery; the flag is recorded and shown by ShowVolume. */
  async setFileUnitRecovery(
    accountId: string,
    volumeId: string,
    enabled: boolean,
  ): Promise<Volume> {
    await this.show(accountId, volumeId);
    await this.db
      .updateTable('volumes')
      .set({
        file_unit_recovery_enabled: enabled ? 1 : 0,
        updated_at: this.clock.now().toISOString(),
      })
      .where('id', '=', volumeId)
      .execute();
    this.logger.info({ volumeId, enabled }, 'volume file-unit recovery set');
    return this.show(accountId, volumeId);
  }

  /**
   * Marks a volume `deleting`; the runner removes its files and row. A volume in a replication
   * whose policy is `use` is rejected with a message telling the caller to pause first.
   * Paused replications of the volume end with it: a surviving replica becomes an ordinary volume.
   */
  async delete(accountId: string, volumeId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const volume = await findVolume(trx, accountId, volumeId);
      if (!volume) throw new ApiError('VOLUME_NOT_FOUND', { volumeId }, { field: 'volume_id' });
      if (volume.state === 'deleting') return;
      const replications = await listReplicationsOfVolume(trx, volumeId);
      const inUse = replications.find((r) => r.policy === 'use' && r.status !== 'deleting');
      if (inUse) throw new ApiError('VOLUME_IN_REPLICATION', { volumeId, replicationId: inUse.id });
      const now = this.clock.now();
      await markReplicationsDeleting(
        trx,
        replications.map((r) => r.id),
        now,
      );
      await updateVolumeState(trx, volumeId, 'deleting', now.toISOString());
    });
    this.logger.info({ volumeId }, 'volume delete accepted');
  }
}

function randomSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
}
