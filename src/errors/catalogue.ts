import type { Locale } from '../i18n/locale.js';

type Params = Record<string, string | number | undefined>;
type Template = (p: Params) => string;

/** One error kind: its HTTP status and a message template per language. */
export interface ErrorSpec {
  status: number;
  en: Template;
  ko: Template;
}

/**
 * Every error the API returns, by stable code. Domain code throws `ApiError(code, params)`;
 * this table is the only place that maps a code to an HTTP status and localized text.
 */
export const ERRORS = {
  INVALID_FIELD: {
    status: 400,
    en: (p) =>
      `Invalid ${p.location} field '${p.field}': ${p.rule_en}. Got ${p.value}. Fix the value and retry.`,
    ko: (p) =>
      `${p.location_ko} 필드 '${p.field}'의 값이 잘못되었습니다: ${p.rule_ko}. 받은 값: ${p.value}. 값을 고쳐 다시 요청하세요.`,
  },
  MISSING_FIELD: {
    status: 400,
    en: (p) => `Missing required ${p.location} field '${p.field}'. Add it and retry.`,
    ko: (p) => `필수 ${p.location_ko} 필드 '${p.field}'가 없습니다. 추가하여 다시 요청하세요.`,
  },
  INVALID_JSON: {
    status: 400,
    en: (p) =>
      `The request body is not valid JSON (${p.reason}). Send a JSON object with Content-Type: application/json.`,
    ko: (p) =>
      `요청 본문이 올바른 JSON이 아닙니다(${p.reason}). Content-Type: application/json으로 JSON 객체를 보내세요.`,
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 400,
    en: (p) => `Unsupported Content-Type '${p.contentType}'. Send the body as application/json.`,
    ko: (p) =>
      `지원하지 않는 Content-Type '${p.contentType}'입니다. 본문을 application/json으로 보내세요.`,
  },
  BODY_TOO_LARGE: {
    status: 400,
    en: (p) => `The request body is larger than ${p.limit} bytes. Send a smaller body.`,
    ko: (p) => `요청 본문이 ${p.limit}바이트보다 큽니다. 더 작은 본문을 보내세요.`,
  },
  PATH_ID_TOO_LONG: {
    status: 400,
    en: (p) =>
      `An id in the request path is longer than ${p.limit} characters. Check the id and retry.`,
    ko: (p) => `요청 경로의 ID가 ${p.limit}자보다 깁니다. ID를 확인하고 다시 요청하세요.`,
  },
  BAD_URL: {
    status: 400,
    en: () =>
      `The request path is not a valid URL (bad percent-encoding). Encode the path and retry.`,
    ko: () =>
      `요청 경로가 올바른 URL이 아닙니다(잘못된 퍼센트 인코딩). 경로를 인코딩하여 다시 요청하세요.`,
  },
  UNSUPPORTED_API_VERSION: {
    status: 400,
    en: (p) => `Unsupported Scp-Api-Version '${p.value}'. Use one of: ${p.supported}.`,
    ko: (p) =>
      `지원하지 않는 Scp-Api-Version '${p.value}'입니다. 다음 중 하나를 사용하세요: ${p.supported}.`,
  },
  AUTH_MISSING_HEADERS: {
    status: 401,
    en: (p) =>
      `Missing authentication header(s): ${p.headers}. Sign the request with your access key.`,
    ko: (p) => `인증 헤더가 없습니다: ${p.headers}. 액세스 키로 요청에 서명하세요.`,
  },
  AUTH_UNKNOWN_ACCESS_KEY: {
    status: 401,
    en: (p) => `Access key '${p.accessKey}' is not known. Check the key or create one.`,
    ko: (p) => `액세스 키 '${p.accessKey}'를 찾을 수 없습니다. 키를 확인하거나 새로 만드세요.`,
  },
  AUTH_DISABLED_ACCESS_KEY: {
    status: 401,
    en: (p) => `Access key '${p.accessKey}' is disabled. Use an enabled key.`,
    ko: (p) => `액세스 키 '${p.accessKey}'는 비활성화되었습니다. 활성화된 키를 사용하세요.`,
  },
  AUTH_INVALID_TIMESTAMP: {
    status: 401,
    en: (p) =>
      `Scp-Timestamp '${p.value}' is not Unix time in milliseconds. Send the current time in milliseconds.`,
    ko: (p) =>
      `Scp-Timestamp '${p.value}'는 밀리초 단위 Unix 시간이 아닙니다. 현재 시간을 밀리초로 보내세요.`,
  },
  AUTH_TIMESTAMP_SKEW: {
    status: 401,
    en: (p) =>
      `Scp-Timestamp '${p.value}' differs from the server time by more than ${p.skewSeconds} seconds. Synchronize your clock and retry.`,
    ko: (p) =>
      `Scp-Timestamp '${p.value}'가 서버 시간과 ${p.skewSeconds}초 넘게 차이 납니다. 시계를 맞추고 다시 요청하세요.`,
  },
  AUTH_SIGNATURE_MISMATCH: {
    status: 401,
    en: (p) =>
      `Scp-Signature does not match the request. Sign METHOD + URL + timestamp + access key + account id + client type for the URL ${p.url}.`,
    ko: (p) =>
      `Scp-Signature가 요청과 일치하지 않습니다. URL ${p.url}에 대해 METHOD + URL + 타임스탬프 + 액세스 키 + 계정 ID + 클라이언트 유형으로 서명하세요.`,
  },
  METRICS_TOKEN_INVALID: {
    status: 401,
    en: () =>
      `/metrics requires 'Authorization: Bearer <token>' with the configured SCPFS_METRICS_TOKEN.`,
    ko: () =>
      `/metrics에는 설정된 SCPFS_METRICS_TOKEN으로 'Authorization: Bearer <토큰>' 헤더가 필요합니다.`,
  },
  ACCOUNT_MISMATCH: {
    status: 403,
    en: (p) =>
      `Scp-AccountId '${p.accountId}' does not match the access key's account. Send the key's account id or leave the header empty.`,
    ko: (p) =>
      `Scp-AccountId '${p.accountId}'가 액세스 키의 계정과 다릅니다. 키의 계정 ID를 보내거나 헤더를 비우세요.`,
  },
  ACTION_DENIED: {
    status: 403,
    en: (p) =>
      `The access key's policy does not allow the action '${p.action}'. Ask an administrator to allow it.`,
    ko: (p) =>
      `액세스 키의 정책이 '${p.action}' 작업을 허용하지 않습니다. 관리자에게 허용을 요청하세요.`,
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    en: (p) => `No operation ${p.method} ${p.path}. Check the method and path.`,
    ko: (p) => `${p.method} ${p.path} 작업이 없습니다. 메서드와 경로를 확인하세요.`,
  },
  VOLUME_NOT_FOUND: {
    status: 404,
    en: (p) => `Volume '${p.volumeId}' was not found. Check the volume id with ListVolumes.`,
    ko: (p) => `볼륨 '${p.volumeId}'를 찾을 수 없습니다. ListVolumes로 볼륨 ID를 확인하세요.`,
  },
  REPLICATION_NOT_FOUND: {
    status: 404,
    en: (p) =>
      `Replication '${p.replicationId}' of volume '${p.volumeId}' was not found. Check both ids with ListVolumeReplications.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'의 복제 '${p.replicationId}'를 찾을 수 없습니다. ListVolumeReplications로 두 ID를 확인하세요.`,
  },
  ACCESS_RULE_NOT_FOUND: {
    status: 404,
    en: (p) =>
      `Volume '${p.volumeId}' has no access rule for ${p.objectType} '${p.objectId}'. Check the rules with ListVolumeAccessRules.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'에 ${p.objectType} '${p.objectId}'에 대한 접근 규칙이 없습니다. ListVolumeAccessRules로 규칙을 확인하세요.`,
  },
  SOURCE_VOLUME_NOT_AVAILABLE: {
    status: 409,
    en: (p) =>
      `Volume '${p.volumeId}' is '${p.state}', not 'available'. Wait until it is available and retry.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'의 상태가 'available'이 아니라 '${p.state}'입니다. available이 된 뒤 다시 요청하세요.`,
  },
  SOURCE_IS_TARGET: {
    status: 409,
    en: (p) =>
      `Volume '${p.volumeId}' is itself a ${p.purpose} target and cannot be replicated. Replicate its source volume instead.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'는 ${p.purpose} 대상 볼륨이므로 복제할 수 없습니다. 원본 볼륨을 복제하세요.`,
  },
  REPLICATION_EXISTS: {
    status: 409,
    en: (p) =>
      `Volume '${p.volumeId}' already has a ${p.type} relationship ('${p.replicationId}'). A volume can have one replication and one backup.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'에는 이미 ${p.type} 관계('${p.replicationId}')가 있습니다. 볼륨마다 복제 하나와 백업 하나만 만들 수 있습니다.`,
  },
  REGION_NOT_ALLOWED: {
    status: 400,
    en: (p) =>
      `Region '${p.region}' is not a ${p.type} target for a ${p.typeName} volume in '${p.sourceRegion}'. Allowed: ${p.allowed}.`,
    ko: (p) =>
      `'${p.region}' 리전은 '${p.sourceRegion}'의 ${p.typeName} 볼륨에 대한 ${p.type} 대상이 아닙니다. 허용되는 리전: ${p.allowed}.`,
  },
  UNKNOWN_REGION: {
    status: 400,
    en: (p) => `Region '${p.region}' is not configured. Use one of: ${p.allowed}.`,
    ko: (p) =>
      `'${p.region}' 리전은 설정되어 있지 않습니다. 다음 중 하나를 사용하세요: ${p.allowed}.`,
  },
  CIFS_PASSWORD_REQUIRED: {
    status: 400,
    en: () =>
      `'cifs_password' is required for a CIFS volume: 6 to 20 characters with at least one letter, one digit and one special character.`,
    ko: () =>
      `CIFS 볼륨에는 'cifs_password'가 필요합니다: 영문자, 숫자, 특수문자를 각각 하나 이상 포함한 6~20자.`,
  },
  CIFS_PASSWORD_INVALID: {
    status: 400,
    en: () =>
      `'cifs_password' is invalid: use 6 to 20 characters with at least one letter, one digit and one of !#&'*+,-.:;<=>?@^_\`~/| and no other characters.`,
    ko: () =>
      `'cifs_password'가 올바르지 않습니다: 영문자, 숫자, !#&'*+,-.:;<=>?@^_\`~/| 중 하나를 각각 포함한 6~20자로, 다른 문자는 쓸 수 없습니다.`,
  },
  VOLUME_IN_REPLICATION: {
    status: 400,
    en: (p) =>
      `Volume '${p.volumeId}' is in replication '${p.replicationId}' whose policy is 'use'. Set the replication policy to 'paused' first, then delete.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'는 정책이 'use'인 복제 '${p.replicationId}'에 속해 있습니다. 먼저 복제 정책을 'paused'로 바꾼 뒤 삭제하세요.`,
  },
  REPLICATION_IN_USE: {
    status: 400,
    en: (p) =>
      `Replication '${p.replicationId}' has the policy 'use'. Set replication_policy to 'paused' with SetVolumeReplication first, then delete.`,
    ko: (p) =>
      `복제 '${p.replicationId}'의 정책이 'use'입니다. 먼저 SetVolumeReplication으로 replication_policy를 'paused'로 바꾼 뒤 삭제하세요.`,
  },
  REPLICATION_DELETING: {
    status: 409,
    en: (p) => `Replication '${p.replicationId}' is being deleted and can no longer be changed.`,
    ko: (p) => `복제 '${p.replicationId}'는 삭제 중이므로 더 이상 변경할 수 없습니다.`,
  },
  REPLICATION_PAUSED: {
    status: 409,
    en: (p) =>
      `Replication '${p.replicationId}' is paused. Set replication_policy to 'use' first, then request a run.`,
    ko: (p) =>
      `복제 '${p.replicationId}'는 일시 중지되어 있습니다. 먼저 replication_policy를 'use'로 바꾼 뒤 실행을 요청하세요.`,
  },
  SNAPSHOT_NOT_FOUND: {
    status: 404,
    en: (p) =>
      `Snapshot '${p.snapshotId}' was not found. Check the snapshot id and the volume_id it belongs to with ListVolumeSnapshots.`,
    ko: (p) =>
      `스냅샷 '${p.snapshotId}'를 찾을 수 없습니다. ListVolumeSnapshots로 스냅샷 ID와 그 스냅샷이 속한 volume_id를 확인하세요.`,
  },
  SNAPSHOT_NOT_AVAILABLE: {
    status: 409,
    en: (p) =>
      `Snapshot '${p.snapshotId}' is '${p.state}', not 'available'. Wait until it is available and retry.`,
    ko: (p) =>
      `스냅샷 '${p.snapshotId}'의 상태가 'available'이 아니라 '${p.state}'입니다. available이 된 뒤 다시 요청하세요.`,
  },
  SNAPSHOT_IN_USE: {
    status: 409,
    en: (p) =>
      `Snapshot '${p.snapshotId}' cannot be deleted while ${p.use_en}. Retry after that has finished.`,
    ko: (p) =>
      `스냅샷 '${p.snapshotId}'는 ${p.use_ko} 삭제할 수 없습니다. 작업이 끝난 뒤 다시 요청하세요.`,
  },
  VOLUME_NOT_AVAILABLE: {
    status: 409,
    en: (p) =>
      `Volume '${p.volumeId}' is '${p.state}', not 'available', so ${p.operation} cannot run now. Wait until it is available and retry.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'의 상태가 'available'이 아니라 '${p.state}'이므로 지금은 ${p.operation}을(를) 실행할 수 없습니다. available이 된 뒤 다시 요청하세요.`,
  },
  VOLUME_IS_REPLICATION_TARGET: {
    status: 409,
    en: (p) =>
      `Volume '${p.volumeId}' is a ${p.purpose} target whose content follows its source volume, so a snapshot cannot be restored into it. Create a new volume from the snapshot with CreateVolume and snapshot_id.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'는 원본 볼륨의 내용을 따르는 ${p.purpose} 대상이므로 스냅샷을 복원할 수 없습니다. CreateVolume에 snapshot_id를 지정해 스냅샷으로 새 볼륨을 만드세요.`,
  },
  SNAPSHOT_SCHEDULE_NOT_FOUND: {
    status: 404,
    en: (p) =>
      `Snapshot schedule '${p.scheduleId}' of volume '${p.volumeId}' was not found. Check both ids with ListVolumeSnapshotSchedules.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'의 스냅샷 스케줄 '${p.scheduleId}'를 찾을 수 없습니다. ListVolumeSnapshotSchedules로 두 ID를 확인하세요.`,
  },
  SNAPSHOT_SCHEDULE_EXISTS: {
    status: 409,
    en: (p) =>
      `Volume '${p.volumeId}' already has the snapshot schedule ${p.schedule} ('${p.scheduleId}'). Change or delete that schedule instead.`,
    ko: (p) =>
      `볼륨 '${p.volumeId}'에는 이미 스냅샷 스케줄 ${p.schedule}('${p.scheduleId}')이 있습니다. 그 스케줄을 변경하거나 삭제하세요.`,
  },
  INTERNAL: {
    status: 500,
    en: (p) =>
      `Internal error (request ${p.requestId}). Retry later; if it persists, report the request id.`,
    ko: (p) =>
      `내부 오류가 발생했습니다(요청 ${p.requestId}). 잠시 후 다시 시도하고, 계속되면 요청 ID를 알려 주세요.`,
  },
} satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** Renders the localized detail message of an error code. */
export function renderDetail(code: ErrorCode, params: Params, locale: Locale): string {
  return ERRORS[code][locale](params);
}
