import type { Selectable } from 'kysely';
import type { VolumeTable } from '../store/schema.js';

/** `restoring` while RestoreVolumeSnapshot copies a snapshot back into the volume. */
export type VolumeState = 'creating' | 'available' | 'restoring' | 'deleting' | 'error';
export type VolumePurpose = 'none' | 'replication' | 'backup';

export interface Volume {
  id: string;
  accountId: string;
  name: string;
  protocol: 'NFS' | 'CIFS';
  typeName: string;
  typeId: string;
  state: VolumeState;
  purpose: VolumePurpose;
  region: string;
  accessLevel: 'rw' | 'ro';
  cifsId: string | null;
  snapshotId: string | null;
  fileUnitRecoveryEnabled: boolean;
  encryptionEnabled: boolean;
  usageBytes: number;
  createdAt: string;
}

export function volumeFromRow(row: Selectable<VolumeTable>): Volume {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    protocol: row.protocol as Volume['protocol'],
    typeName: row.type_name,
    typeId: row.type_id,
    state: row.state as VolumeState,
    purpose: row.purpose as VolumePurpose,
    region: row.region,
    accessLevel: row.access_level as Volume['accessLevel'],
    cifsId: row.cifs_id,
    snapshotId: row.snapshot_id,
    fileUnitRecoveryEnabled: row.file_unit_recovery_enabled === 1,
    encryptionEnabled: row.encryption_enabled === 1,
    usageBytes: Number(row.usage_bytes),
    createdAt: row.created_at,
  };
}

/** Stable disk type ids, so `type_id` is the same on every installation. */
export const VOLUME_TYPE_IDS: Record<string, string> = {
  HDD: '5a0a8a3e-0f2d-4c43-9b1e-000000000001',
  SSD: '5a0a8a3e-0f2d-4c43-9b1e-000000000002',
  HighPerformanceSSD: '5a0a8a3e-0f2d-4c43-9b1e-000000000003',
  SSD_SAP_S: '5a0a8a3e-0f2d-4c43-9b1e-000000000004',
  SSD_SAP_E: '5a0a8a3e-0f2d-4c43-9b1e-000000000005',
};
