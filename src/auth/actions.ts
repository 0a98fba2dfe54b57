/** Prefix of every IAM action of the File Storage service. */
export const ACTION_PREFIX = 'filestorage:';

/** The action that allows every File Storage operation. */
export const ALL_ACTIONS = 'filestorage:*';

/**
 * The File Storage OpenAPI operations, each authorized as the IAM action
 * `filestorage:<Operation>`, in the order of the API reference.
 */
export const FILESTORAGE_OPERATIONS = [
  'ListVolumes',
  'CreateVolume',
  'ShowVolume',
  'SetVolume',
  'DeleteVolume',
  'ListVolumeAccessRules',
  'SetVolumeAccessRule',
  'ListVolumeSnapshots',
  'CreateVolumeSnapshot',
  'DeleteVolumeSnapshot',
  'SetVolumeSnapshot',
  'ListVolumeSnapshotSchedules',
  'CreateVolumeSnapshotSchedule',
  'SetVolumeSnapshotSchedule',
  'DeleteVolumeSnapshotSchedule',
  'ListVolumeReplications',
  'CreateVolumeReplication',
  'ShowVolumeReplication',
  'SetVolumeReplication',
  'DeleteVolumeReplication',
  'ListVolumeReplicationRegions',
] as const;

export type FilestorageOperation = (typeof FILESTORAGE_OPERATIONS)[number];

const OPERATION_SET: ReadonlySet<string> = new Set(FILESTORAGE_OPERATIONS);

/** Returns the IAM action that authorizes an operation, e.g. `filestorage:CreateVolume`. */
export function actionOf(operation: string): string {
  return ACTION_PREFIX + operation;
}

/**
 * Tells whether `action` may appear in a key policy: `filestorage:*`, or `filestorage:` followed by
 * an operation name exactly as FILESTORAGE_OPERATIONS spells it (names are case-sensitive).
 */
export function isValidAction(action: string): boolean {
  if (action === ALL_ACTIONS) return true;
  if (!action.startsWith(ACTION_PREFIX)) return false;
  return OPERATION_SET.has(action.slice(ACTION_PREFIX.length));
}
