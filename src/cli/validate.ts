import { normalizeEndpoint } from './client.js';
import { CliError } from './errors.js';

export const PROTOCOLS = ['NFS', 'CIFS'] as const;
export const TYPE_NAMES = ['HDD', 'SSD', 'HighPerformanceSSD'] as const;
/** Disk types that replicate, the only ones ListVolumeReplicationRegions accepts. */
export const REPLICABLE_TYPE_NAMES = ['HDD', 'SSD'] as const;
export const FREQUENCIES = ['5min', 'hourly', 'daily', 'weekly', 'monthly'] as const;
export const REPLICATION_TYPES = ['replication', 'backup'] as const;
export const SORT_ORDERS = ['name:asc', 'name:desc', 'created_at:asc', 'created_at:desc'] as const;
export const API_VERSIONS = ['1.1', '1.0'] as const;
export const OUTPUT_FORMATS = ['table', 'json'] as const;
export const LANGUAGES = ['ko', 'en'] as const;
export const BOOLEANS = ['true', 'false'] as const;
export const ACCESS_RULE_OBJECT_TYPES = ['VM', 'BM', 'GPU', 'GPU_NODE', 'ENDPOINT'] as const;
export const SNAPSHOT_FREQUENCIES = ['DAILY', 'WEEKLY'] as const;
export const DAYS_OF_WEEK = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** Volume and replica names as the API accepts them, before the server appends its suffix. */
const VOLUME_NAME = /^[a-z][a-z0-9_]{2,20}$/;

/** Raises unless `value` is one of `allowed`. Undefined passes through for optional options. */
export function checkChoice<T extends string>(
  option: string,
  value: string,
  allowed: readonly T[],
): T;
export function checkChoice<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined;
export function checkChoice<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError('error.invalidChoice', { option, value, allowed: allowed.join(', ') });
}

/**
 * Like checkChoice, but matches letters in any case and returns the allowed spelling, for values
 * such as `DAILY` and `MON` that the API spells in capitals.
 */
export function checkChoiceIgnoreCase<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((choice) => choice.toUpperCase() === value.toUpperCase());
  return checkChoice(option, match ?? value, allowed);
}

/** Parses `true` or `false`. Undefined passes through for optional options. */
export function checkBoolean(option: string, value: string | undefined): boolean | undefined {
  const choice = checkChoice(option, value, BOOLEANS);
  return choice === undefined ? undefined : choice === 'true';
}

/** Parses a decimal integer in [min, max]. Undefined passes through for optional options. */
export function checkInteger(option: string, value: string, min: number, max: number): number;
export function checkInteger(
  option: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined;
export function checkInteger(
  option: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  throw new CliError('error.invalidInteger', { option, value, min, max });
}

/** Raises when an option was given an empty value. Undefined passes through. */
export function checkNotEmpty(option: string, value: string | undefined): string | undefined {
  if (value === '') throw new CliError('error.emptyValue', { option });
  return value;
}

/** Raises unless `value` matches the API's volume name rule. */
export function checkVolumeName(option: string, value: string): string {
  if (VOLUME_NAME.test(value)) return value;
  throw new CliError('error.invalidName', { option, value });
}

/** Returns the normalized endpoint URL, or raises when it is not an http(s) URL. */
export function checkEndpoint(value: string): string {
  try {
    return normalizeEndpoint(value);
  } catch {
    throw new CliError('error.invalidEndpoint', { value });
  }
}
