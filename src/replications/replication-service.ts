import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import { ApiError } from '../errors/api-error.js';
import type { Database } from '../store/schema.js';
import { validateCifsPassword } from '../volumes/cifs-password.js';
import { findVolume, findVolumeById } from '../volumes/volume-repository.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { Volume } from '../volumes/volume.js';
import { allowedTargetRegions } from './region-routes.js';
import {
  findReplicationOfSource,
  insertReplication,
  listReplicationsOfVolume,
  markReplicationsDeleting,
  updateReplication,
} from './replication-repository.js';
import { planReplicationUpdate, type ReplicationUpdate } from './replication-update.js';
import type { Frequency, Replication, ReplicationType } from './replication.js';

export interface CreateReplicationInput {
  accountId: string;
  name: string;
  region: string;
  frequency: Frequency;
  type: ReplicationType;
  sourceVolumeId: string;
  cifsPassword?: string | null;
  backupRetentionCount?: number | null;
}

/** A replication with both of its volumes, as the API shows it. */
export interface ReplicationView {
  replication: Replication;
  source: Volume;
  target: Volume;
}

export const DEFAULT_BACKUP_RETENTION = 10;

export class ReplicationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    private readonly volumes: VolumeService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Creates the replica volume in the target region and the replication in status `creating`.
   * Its first run is due at once, so the runner starts the baseline transfer on its next tick.
   */
  async create(input: CreateReplicationInput): Promise<ReplicationView> {
    const source = await this.#findSource(input.accountId, input.sourceVolumeId);
    checkSourceUsable(source);
    this.#checkTargetRegion(source, input);
    if (source.protocol === 'CIFS') validateCifsPassword(input.cifsPassword);
    const view = await this.db
      .transaction()
      .execute(async (trx) => {
        await this.#checkNoConflict(trx, source, input.type);
        const target = await this.volumes.create(
          {
            accountId: input.accountId,
            name: input.name,
            protocol: source.protocol,
            typeName: source.typeName,
            region: input.region,
            cifsPassword: source.protocol === 'CIFS' ? input.cifsPassword : null,
            purpose: input.type,
          },
          trx,
        );
        const replication = await this.#insert(trx, input, source, target);
        return { replication, source, target };
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? this.#conflictFromRace(source, input.type, err) : err;
      });
    this.logger.info(
      {
        replicationId: view.replication.id,
        sourceVolumeId: source.id,
        targetVolumeId: view.target.id,
        targetRegion: input.region,
      },
      'replication created',
    );
    return view;
  }

  async listForVolume(accountId: string, volumeId: string): Promise<ReplicationView[]> {
    await this.volumes.show(accountId, volumeId);
    const replications = await listReplicationsOfVolume(this.db, volumeId);
    const views = await Promise.all(replications.map((r) => this.#view(r)));
    return views.filter((v): v is ReplicationView => v !== undefined);
  }

  /** Finds a replication through either its source or its replica volume id. */
  async show(accountId: string, replicationId: string, volumeId: string): Promise<ReplicationView> {
    const views = await this.listForVolume(accountId, volumeId);
    const view = views.find((v) => v.replication.id === replicationId);
    if (!view)
      throw new ApiError(
        'REPLICATION_NOT_FOUND',
        { replicationId, volumeId },
        { field: 'replication_id' },
      );
    return view;
  }

  /** Applies a SetVolumeReplication request; Show reflects it as soon as this returns. */
  async update(
    accountId: string,
    replicationId: string,
    volumeId: string,
    update: ReplicationUpdate,
  ): Promise<ReplicationView> {
    const view = await this.show(accountId, replicationId, volumeId);
    if (view.replication.status === 'deleting') {
      throw new ApiError('REPLICATION_DELETING', { replicationId });
    }
    const now = this.clock.now();
    const changes = planReplicationUpdate(view.replication, update, now, this.config.timeZone);
    await updateReplication(this.db, replicationId, { ...changes, updated_at: now.toISOString() });
    this.logger.info({ replicationId, changes }, 'replication updated');
    return this.show(accountId, replicationId, volumeId);
  }

  /**
   * Accepts the deletion of a paused replication; the runner then ends the relationship and the
   * replica becomes an ordinary read-write volume. A replication in use must be paused first.
   */
  async delete(accountId: string, replicationId: string, volumeId: string): Promise<void> {
    const view = await this.show(accountId, replicationId, volumeId);
    if (view.replication.status === 'deleting') return;
    if (view.replication.policy === 'use') {
      throw new ApiError('REPLICATION_IN_USE', { replicationId });
    }
    await markReplicationsDeleting(this.db, [replicationId], this.clock.now());
    this.logger.info({ replicationId }, 'replication delete accepted');
  }

  async #findSource(accountId: string, volumeId: string): Promise<Volume> {
    const source = await findVolume(this.db, accountId, volumeId);
    if (!source) throw new ApiError('VOLUME_NOT_FOUND', { volumeId }, { field: 'volume_id' });
    return source;
  }

  #checkTargetRegion(source: Volume, input: CreateReplicationInput): void {
    const names = this.config.regions.map((r) => r.name);
    if (!names.includes(input.region)) {
      throw new ApiError(
        'UNKNOWN_REGION',
        { region: input.region, allowed: names.join(', ') },
        { field: 'region' },
      );
    }
    const allowed = allowedTargetRegions(this.config, {
      sourceRegion: source.region,
      replicationType: input.type,
      typeName: source.typeName,
    });
    if (!allowed.includes(input.region)) {
      const params = {
        region: input.region,
        type: input.type,
        typeName: source.typeName,
        sourceRegion: source.region,
        allowed: allowed.length > 0 ? allowed.join(', ') : '-',
      };
      throw new ApiError('REGION_NOT_ALLOWED', params, { field: 'region' });
    }
  }

  async #checkNoConflict(
    db: Kysely<Database>,
    source: Volume,
    type: ReplicationType,
  ): Promise<void> {
    checkSourceUsable((await findVolume(db, source.accountId, source.id)) ?? source);
    const existing = await findReplicationOfSource(db, source.id, type);
    if (existing) {
      throw new ApiError('REPLICATION_EXISTS', {
        volumeId: source.id,
        type,
        replicationId: existing.id,
      });
    }
  }

  async #insert(
    db: Kysely<Database>,
    input: CreateReplicationInput,
    source: Volume,
    target: Volume,
  ): Promise<Replication> {
    const now = this.clock.now().toISOString();
    const id = randomUUID();
    const retention =
      input.backupRetentionCount ?? (input.type === 'backup' ? DEFAULT_BACKUP_RETENTION : null);
    await insertReplication(db, {
      id,
      account_id: input.accountId,
      source_volume_id: source.id,
      target_volume_id: target.id,
      replication_type: input.type,
      frequency: input.frequency,
      policy: 'use',
      status: 'creating',
      backup_retention_count: retention,
      next_run_at: now,
      created_at: now,
      updated_at: now,
    });
    const [replication] = await listReplicationsOfVolume(db, target.id);
    return replication!;
  }

  #conflictFromRace(source: Volume, type: ReplicationType, cause: unknown): ApiError {
    return new ApiError(
      'REPLICATION_EXISTS',
      { volumeId: source.id, type, replicationId: '-' },
      { cause },
    );
  }

  async #view(replication: Replication): Promise<ReplicationView | undefined> {
    const [source, target] = await Promise.all([
      findVolumeById(this.db, replication.sourceVolumeId),
      findVolumeById(this.db, replication.targetVolumeId),
    ]);
    return source && target ? { replication, source, target } : undefined;
  }
}

/** Rejects a source that is not `available` or that is itself a replica or backup target. */
function checkSourceUsable(source: Volume): void {
  if (source.state !== 'available') {
    throw new ApiError('SOURCE_VOLUME_NOT_AVAILABLE', { volumeId: source.id, state: source.state });
  }
  if (source.purpose !== 'none') {
    throw new ApiError('SOURCE_IS_TARGET', { volumeId: source.id, purpose: source.purpose });
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
