import { expect } from 'vitest';

/** JSON type of a key: a base type, `T|null` for nullable keys, an array of a shape, or a nested shape. */
export type FieldType =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'string|null'
  | 'integer|null'
  | 'boolean|null'
  | { array: Shape | 'string' }
  | Shape;
export interface Shape {
  [key: string]: FieldType;
}

/**
 * Asserts that a response object has exactly the shape's keys with exactly its JSON types, as the
 * official SDK decodes them (unknown keys rejected, required keys present).
 */
export function expectShape(value: unknown, shape: Shape, where = 'body'): void {
  expect(value, where).toBeTypeOf('object');
  expect(value, where).not.toBeNull();
  const record = value as Record<string, unknown>;
  expect(Object.keys(record).sort(), `${where} keys`).toEqual(Object.keys(shape).sort());
  for (const [key, type] of Object.entries(shape)) checkField(record[key], type, `${where}.${key}`);
}

function checkField(value: unknown, type: FieldType, where: string): void {
  if (typeof type === 'object' && 'array' in type) {
    expect(Array.isArray(value), `${where} is an array`).toBe(true);
    (value as unknown[]).forEach((item, i) =>
      typeof type.array === 'string'
        ? checkField(item, type.array as FieldType, `${where}[${i}]`)
        : expectShape(item, type.array as Shape, `${where}[${i}]`),
    );
    return;
  }
  if (typeof type === 'object') return expectShape(value, type as Shape, where);
  const [base, nullable] = type.split('|');
  if (nullable === 'null' && value === null) return;
  if (base === 'integer')
    expect(Number.isInteger(value), `${where} is an integer, got ${JSON.stringify(value)}`).toBe(
      true,
    );
  else expect(typeof value, `${where} type`).toBe(base);
}

export const VOLUME_ITEM: Shape = {
  id: 'string',
  name: 'string',
  protocol: 'string',
  state: 'string',
  account_id: 'string',
  created_at: 'string',
  type_id: 'string',
  type_name: 'string',
  purpose: 'string',
};

export const VOLUME_SHOW: Shape = {
  ...VOLUME_ITEM,
  encryption_enabled: 'boolean',
  file_unit_recovery_enabled: 'boolean',
  path: 'string|null',
  endpoint_path: 'string|null',
  usage: 'integer|null',
  cifs_id: 'string|null',
};

export const VOLUME_CREATE: Shape = {
  volume_id: 'string',
  volume_name: 'string',
  protocol: 'string',
  type_name: 'string',
  snapshot_id: 'string|null',
};

export const VOLUME_LIST: Shape = { count: 'integer', filestorages: { array: VOLUME_ITEM } };

export const REPLICATION_CREATE: Shape = {
  replication_id: 'string',
  replication_status: 'string',
  source_volume_id: 'string',
  source_volume_region: 'string',
  protocol: 'string',
  replication_volume_id: 'string',
  replication_volume_region: 'string',
};

export const REPLICATION_ITEM: Shape = {
  replication_id: 'string',
  replication_frequency: 'string',
  replication_type: 'string',
  source_volume_id: 'string',
  source_volume_region: 'string',
  source_volume_access_level: 'string',
  replication_volume_id: 'string',
  replication_volume_region: 'string',
  replication_volume_access_level: 'string',
};

export const REPLICATION_SHOW: Shape = {
  ...REPLICATION_ITEM,
  replication_policy: 'string',
  replication_status: 'string',
  source_volume_name: 'string',
  replication_volume_name: 'string',
  backup_retention_count: 'integer|null',
};

export const REPLICATION_LIST: Shape = {
  count: 'integer',
  replications: { array: REPLICATION_ITEM },
};

export const REGION_LIST: Shape = { regions: { array: 'string' } };

/** Asserts the contract's error body with one error of the given status and code. */
export function expectError(
  response: { status: number; body: any },
  status: number,
  code: string,
): string {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(Object.keys(response.body)).toEqual(['errors']);
  const [error] = response.body.errors;
  expect(error.status).toBe(status);
  expect(error.code).toBe(code);
  expect(typeof error.detail).toBe('string');
  return error.detail as string;
}
