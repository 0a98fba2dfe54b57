import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors/api-error.js';
import type { Database } from '../store/schema.js';
import type { VolumeService } from './volume-service.js';

export interface AccessRule {
  objectType: string;
  objectId: string;
  state: string;
}

export interface AccessRuleChange {
  action: 'add' | 'remove';
  objectType: string;
  objectId: string;
}

/**
 * Which compute objects may mount a volume. The embedded mode has no network exports, so rules
 * are recorded and listed but do not restrict access to the volume's directory.
 */
export class AccessRuleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly volumes: VolumeService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async list(accountId: string, volumeId: string): Promise<AccessRule[]> {
    await this.volumes.show(accountId, volumeId);
    const rows = await this.db
      .selectFrom('volume_access_rules')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .orderBy('created_at', 'asc')
      .orderBy('object_id', 'asc')
      .execute();
    return rows.map((r) => ({ objectType: r.object_type, objectId: r.object_id, state: r.state }));
  }

  /** Adds a rule (adding an existing one changes nothing) or removes one (404 when absent). */
  async apply(accountId: string, volumeId: string, change: AccessRuleChange): Promise<void> {
    await this.volumes.show(accountId, volumeId);
    if (change.action === 'add') await this.#add(volumeId, change);
    else await this.#remove(volumeId, change);
    this.logger.info({ volumeId, ...change }, 'volume access rule changed');
  }

  async #add(volumeId: string, change: AccessRuleChange): Promise<void> {
    await this.db
      .insertInto('volume_access_rules')
      .values({
        volume_id: volumeId,
        object_type: change.objectType,
        object_id: change.objectId,
        state: 'active',
        created_at: this.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['volume_id', 'object_type', 'object_id']).doNothing())
      .execute();
  }

  async #remove(volumeId: string, change: AccessRuleChange): Promise<void> {
    const result = await this.db
      .deleteFrom('volume_access_rules')
      .where('volume_id', '=', volumeId)
      .where('object_type', '=', change.objectType)
      .where('object_id', '=', change.objectId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new ApiError(
        'ACCESS_RULE_NOT_FOUND',
        { volumeId, objectType: change.objectType, objectId: change.objectId },
        { field: 'object_id' },
      );
    }
  }
}
