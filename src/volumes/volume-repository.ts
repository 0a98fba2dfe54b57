import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, VolumeTable } from '../store/schema.js';
import { volumeFromRow, type Volume, type VolumeState } from './volume.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface VolumeListFilter {
  accountId: string;
  offset: number;
  limit: number;
  name?: string;
  typeName?: string;
  sort: { column: 'name' | 'created_at'; direction: 'asc' | 'desc' };
}

export async function insertVolume(db: Db, row: Insertable<VolumeTable>): Promise<void> {
  await db.insertInto('volumes').values(row).execute();
}

export async function findVolume(
  db: Db,
  accountId: string,
  id: string,
): Promise<Volume | undefined> {
  const row = await db
    .selectFrom('volumes')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? volumeFromRow(row) : undefined;
}

export async function findVolumeById(db: Db, id: string): Promise<Volume | undefined> {
  const row = await db.selectFrom('volumes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? volumeFromRow(row) : undefined;
}

export async function listVolumes(
  db: Db,
  filter: VolumeListFilter,
): Promise<{ count: number; volumes: Volume[] }> {
  let query = db.selectFrom('volumes').where('account_id', '=', filter.accountId);
  if (filter.name) {
    const pattern = `%${escapeLike(filter.name)}%`;
    query = query.where(sql<boolean>`name like ${pattern} escape '\\'`);
  }
  if (filter.typeName) query = query.where('type_name', '=', filter.typeName);
  const { count } = await query
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(filter.sort.column, filter.sort.direction)
    .orderBy('id', 'asc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { count: Number(count), volumes: rows.map(volumeFromRow) };
}

export async function listVolumesInState(db: Db, state: VolumeState): Promise<Volume[]> {
  const rows = await db.selectFrom('volumes').selectAll().where('state', '=', state).execute();
  return rows.map(volumeFromRow);
}

export async function updateVolumeState(
  db: Db,
  id: string,
  state: VolumeState,
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable('volumes')
    .set({ state, updated_at: updatedAt })
    .where('id', '=', id)
    .execute();
}

export async function updateVolumeUsage(db: Db, id: string, usageBytes: number): Promise<void> {
  await db.updateTable('volumes').set({ usage_bytes: usageBytes }).where('id', '=', id).execute();
}

export async function deleteVolumeRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('volumes').where('id', '=', id).execute();
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
