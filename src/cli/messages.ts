/** Languages of the CLI's help, output and errors. */
export type Locale = 'ko' | 'en';

export const LOCALES: readonly Locale[] = ['ko', 'en'];

const en = {
  'help.program': 'Client and server for scpfs, a self-hosted SCP File Storage service',
  'help.usage': 'Usage:',
  'help.options': 'Options:',
  'help.globalOptions': 'Global Options:',
  'help.commands': 'Commands:',
  'help.arguments': 'Arguments:',
  'help.helpOption': 'show help for this command',
  'help.helpCommand': 'show help for a command',
  'help.version': 'print the version',
  'help.afterError': '(run the command with --help for its usage)',

  'opt.endpoint': 'service URL (env SCPFS_ENDPOINT, default http://127.0.0.1:8080)',
  'opt.accessKey': 'access key (env SCPFS_ACCESS_KEY)',
  'opt.secretKey': 'secret key (env SCPFS_SECRET_KEY)',
  'opt.dataDir':
    'data directory: the server keeps its data there, admin commands change it directly, and the client reads credentials.json from it (env SCPFS_DATA_DIR, default ./data)',
  'opt.apiVersion': 'API version to request: 1.1 or 1.0 (default 1.1)',
  'opt.output':
    "output format: table, or json to print the server's response body unchanged (admin commands print their result as JSON) (default table)",
  'opt.lang': 'language of messages: ko or en (default from LC_ALL, LC_MESSAGES or LANG)',
  'opt.waitTimeout': 'maximum seconds to wait with --wait (default 600)',

  'cmd.serve': 'start the scpfs server',
  'opt.host': 'address to listen on (env SCPFS_HOST, default 127.0.0.1)',
  'opt.port': 'TCP port to listen on (env SCPFS_PORT, default 8080)',
  'opt.config': 'JSON configuration file for regions and replication routes (env SCPFS_CONFIG)',

  'cmd.volume': 'manage volumes',
  'cmd.volumeCreate': 'create a volume',
  'cmd.volumeList': 'list volumes',
  'cmd.volumeShow': 'show a volume, including the path of its files',
  'cmd.volumeDelete': 'delete a volume',
  'arg.volumeId': 'volume ID',
  'arg.replicationId': 'replication ID',
  'opt.volumeName':
    'volume name: a lowercase letter followed by 2 to 20 lowercase letters, digits or _ (the server appends _ and 6 random characters)',
  'opt.protocol': 'protocol: NFS or CIFS',
  'opt.typeName': 'disk type: HDD, SSD or HighPerformanceSSD',
  'opt.cifsPassword':
    'CIFS share password, required for CIFS: 6 to 20 characters with a letter, a digit and a special character',
  'opt.snapshotId': 'create the volume from this snapshot',
  'opt.volumeRegion':
    'region to create the volume in, sent as the X-Scpfs-Region header (server default kr-west1)',
  'opt.waitCreate': 'wait until the volume is available, then print it',
  'opt.filterName': 'list only volumes with this name',
  'opt.filterTypeName': 'list only volumes of this disk type',
  'opt.sort': 'sort order: name:asc, name:desc, created_at:asc or created_at:desc',
  'opt.offset': 'number of volumes to skip (default 0)',
  'opt.limit': 'maximum number of volumes to return (default 20)',
  'opt.waitDelete': 'wait until the volume no longer exists',

  'cmd.replication': 'manage volume replications',
  'cmd.replicationCreate': 'replicate a volume to a region, starting the baseline copy at once',
  'cmd.replicationList': 'list the replications of a volume',
  'cmd.replicationShow': 'show a replication',
  'cmd.replicationRegions': 'list the regions a volume can be replicated to',
  'opt.sourceVolumeId': 'source volume ID',
  'opt.anyVolumeId': 'ID of the source volume or of the replica volume',
  'opt.replicaName': 'name of the replica volume, with the same rule as volume names',
  'opt.targetRegion': 'target region',
  'opt.frequency': 'schedule: 5min, hourly, daily, weekly or monthly',
  'opt.replicationType': 'replication or backup (default replication)',
  'opt.retention': 'number of backups to keep, 1 to 128 (server default 10)',
  'opt.replicaCifsPassword': 'CIFS password of the replica, required when the source uses CIFS',
  'opt.waitReplication':
    'wait until the baseline copy is done and the status is available, then print the replication',
  'opt.regionsTypeName': 'disk type: HDD or SSD',
  'opt.sourceRegion': 'source region name',
  'opt.regionsType': 'replication or backup',

  'cmd.replicationSet':
    'change the schedule of a replication or the number of backups it keeps; give at least one option',
  'opt.setRetention': 'number of backups to keep, 1 to 128 (used by backup replications)',
  'cmd.replicationPause':
    'pause a replication: a running transfer finishes, then no run starts until `replication resume`',
  'cmd.replicationResume': 'resume a paused replication from its next scheduled time',
  'cmd.replicationDelete':
    'delete a paused replication; the replica becomes an ordinary read-write volume (the failover path)',
  'opt.waitReplicationDelete': 'wait until the replication no longer exists',
  'cmd.replicationStatus':
    'show the lag, health, last run and current run of a replication (scpfs extension)',
  'cmd.replicationRuns': 'list the runs of a replication, newest first (scpfs extension)',
  'opt.runsLimit': 'maximum number of runs to return, 1 to 1000 (default 20)',
  'opt.runsOffset': 'number of runs to skip (default 0)',
  'cmd.replicationSync':
    'start a run now; a transfer that is already running finishes first (scpfs extension)',
  'opt.waitSync':
    'wait until the requested run has committed, showing its progress on stderr, then print the status',

  'cmd.volumeSet':
    'change the file unit recovery setting of a volume (stored and shown; scpfs does not act on it)',
  'opt.fileUnitRecovery': 'true to turn file unit recovery on, false to turn it off',
  'cmd.accessRule':
    'manage the access rules of a volume. scpfs records them but does not restrict access to the files',
  'cmd.accessRuleList': 'list the access rules of a volume',
  'cmd.accessRuleAdd': 'add an access rule that allows a resource to use a volume',
  'cmd.accessRuleRemove': 'remove the access rule of a resource from a volume',
  'opt.objectType': 'type of the resource: VM, BM, GPU, GPU_NODE or ENDPOINT',
  'opt.objectId': 'ID of the resource',

  'cmd.snapshot': 'manage volume snapshots',
  'cmd.snapshotCreate': 'take a snapshot of a volume: a point-in-time copy of its files',
  'cmd.snapshotList':
    'list the snapshots of a volume; for a backup target volume these are its backups',
  'cmd.snapshotDelete': 'delete a snapshot',
  'cmd.snapshotRestore':
    "restore a snapshot into its own volume, replacing the volume's files (to keep them, create a new volume with `volume create --snapshot-id`)",
  'arg.snapshotId': 'snapshot ID',
  'opt.snapshotVolumeId': 'volume ID',
  'opt.waitSnapshotCreate':
    'wait until the snapshot is available, then print it as `snapshot list` shows it',
  'opt.waitSnapshotDelete': 'wait until the snapshot no longer exists',
  'opt.waitRestore': 'wait until the volume is available again',

  'cmd.snapshotSchedule': 'manage the snapshot schedules of a volume',
  'cmd.scheduleCreate': 'add a snapshot schedule to a volume',
  'cmd.scheduleList': 'list the snapshot schedules of a volume',
  'cmd.scheduleSet': 'change a snapshot schedule',
  'cmd.scheduleDelete': 'delete a snapshot schedule',
  'arg.scheduleId': 'snapshot schedule ID (see `scpfs snapshot-schedule list`)',
  'opt.scheduleFrequency': 'DAILY or WEEKLY (in any letter case)',
  'opt.scheduleHour': "hour of the day, 0 to 23, in the server's time zone (SCPFS_TIMEZONE)",
  'opt.scheduleDayOfWeek':
    'day of the week, required for WEEKLY: SUN, MON, TUE, WED, THU, FRI or SAT',
  'opt.scheduleRetention':
    'number of scheduled snapshots to keep for the volume, 1 to 128 (server default 10)',

  'cmd.admin':
    'administer accounts and access keys in the data directory directly (no server needed, safe while one runs)',
  'cmd.adminAccount': 'manage accounts (tenants)',
  'cmd.adminAccountCreate':
    "create an account. The keys of one account cannot see another account's volumes and replications",
  'cmd.adminAccountList': 'list accounts',
  'arg.accountName':
    'account name, unique: 1 to 64 letters, digits, ., _ or -, starting with a letter or digit',
  'opt.newAccountId': 'account ID to use instead of a random one, with the same rule as names',
  'cmd.adminKey': 'manage access keys',
  'cmd.adminKeyCreate':
    'create an access key for an existing account and print its secret key, which is shown only this once',
  'opt.keyAccount': 'ID of the account that owns the key (see `scpfs admin account list`)',
  'opt.allow':
    'allowed IAM actions, comma-separated, repeatable: filestorage:* or filestorage:<Operation> such as filestorage:ShowVolume (default filestorage:*)',
  'cmd.adminKeyList': 'list access keys without their secret keys',
  'opt.keyListAccount': 'list only the keys of this account ID',
  'cmd.adminKeyDisable':
    'disable an access key: requests signed with it fail with 401 from the next request on',
  'cmd.adminKeyEnable': 'enable a disabled access key',
  'arg.accessKey': 'access key ID',

  'error.prefix': 'error',
  'error.api': '{detail} ({code}, HTTP {status})',
  'error.http': 'the server returned HTTP {status} without an error description: {body}',
  'error.notJson': 'the server returned HTTP {status} with a body that is not JSON: {body}',
  'error.connectionRefused':
    'cannot connect to {endpoint}: connection refused. Start the server with `scpfs serve`, or set --endpoint to the URL of a running server.',
  'error.connectionFailed': 'request to {endpoint} failed: {cause}',
  'error.requestTimeout': 'request to {endpoint} timed out after {seconds} s',
  'error.credentialsMissing':
    'no credentials found. Looked in (1) the --access-key and --secret-key options, (2) the environment variables SCPFS_ACCESS_KEY and SCPFS_SECRET_KEY, then SCPFS_ROOT_ACCESS_KEY and SCPFS_ROOT_SECRET_KEY, (3) the file {file}. Set one of them. The server writes that file on its first start.',
  'error.credentialsIncomplete': '{present} is set but {missing} is missing. Set both.',
  'error.credentialsFile': 'cannot read credentials from {file}: {reason}',
  'error.credentialsFileShape':
    'cannot read credentials from {file}: expected {"access_key": "...", "secret_key": "..."} with non-empty strings',
  'error.invalidChoice': "invalid value '{value}' for {option}. Allowed values: {allowed}",
  'error.invalidInteger':
    "invalid value '{value}' for {option}. Expected an integer from {min} to {max}",
  'error.invalidName':
    "invalid value '{value}' for {option}. Expected a lowercase letter followed by 2 to 20 lowercase letters, digits or _",
  'error.invalidEndpoint':
    "invalid endpoint '{value}'. Expected an http:// or https:// URL such as http://127.0.0.1:8080",
  'error.waitVolumeAvailable':
    'timed out after {seconds} s waiting for volume {id} to become available (last state: {state}). The operation continues on the server. Check it with `scpfs volume show {id}`.',
  'error.waitVolumeDeleted':
    'timed out after {seconds} s waiting for volume {id} to be deleted (last state: {state}). The operation continues on the server. Check it with `scpfs volume show {id}`.',
  'error.waitReplicationAvailable':
    'timed out after {seconds} s waiting for replication {id} to become available (last status: {state}). The operation continues on the server. Check it with `scpfs replication show {id} --volume-id {volumeId}`.',
  'error.volumeFailed': 'volume {id} is in state error. The server log names the cause.',
  'error.replicationFailed':
    'replication {id} is in status error. The server log names the cause, and the next scheduled run retries.',
  'error.unexpected': 'unexpected error: {message}',
  'error.emptyValue': 'invalid empty value for {option}. Give a value or leave out the option',
  'error.replicationSetNothing':
    'nothing to change: give --frequency, --backup-retention-count or both',
  'error.waitReplicationDeleted':
    'timed out after {seconds} s waiting for replication {id} to be deleted (last status: {state}). The operation continues on the server. Check it with `scpfs replication show {id} --volume-id {volumeId}`.',
  'error.syncFailed': 'the requested run of replication {id} failed: {error}',
  'error.syncPaused':
    'replication {id} is paused, so the requested run does not start. Resume it with `scpfs replication resume {id} --volume-id {volumeId}`.',
  'error.waitSync':
    'timed out after {seconds} s waiting for the requested run of replication {id} (last phase: {state}). The run continues on the server. Check it with `scpfs replication status {id} --volume-id {volumeId}`.',
  'error.snapshotFailed':
    'snapshot {id} of volume {volumeId} is in state error. The server log names the cause. Delete it with `scpfs snapshot delete {id} --volume-id {volumeId}`.',
  'error.snapshotGone': 'snapshot {id} is no longer listed for volume {volumeId}: it was deleted.',
  'error.restoreFailed':
    'restoring snapshot {id} left volume {volumeId} in state error. The server log names the cause.',
  'error.waitSnapshotAvailable':
    'timed out after {seconds} s waiting for snapshot {id} to become available (last state: {state}). The operation continues on the server. Check it with `scpfs snapshot list --volume-id {volumeId}`.',
  'error.waitSnapshotDeleted':
    'timed out after {seconds} s waiting for snapshot {id} to be deleted (last state: {state}). The operation continues on the server. Check it with `scpfs snapshot list --volume-id {volumeId}`.',
  'error.waitRestore':
    'timed out after {seconds} s waiting for volume {volumeId} to finish restoring snapshot {id} (last state: {state}). The restore continues on the server. Check it with `scpfs volume show {volumeId}`.',
  'error.weeklyNeedsDay':
    '--frequency WEEKLY needs --day-of-week: SUN, MON, TUE, WED, THU, FRI or SAT',
  'error.dailyTakesNoDay':
    "--day-of-week '{value}' applies only to --frequency WEEKLY. Leave it out for DAILY",

  'error.adminDataDirNotInitialized':
    '{dataDir} is not an scpfs data directory: {file} does not exist. Pass the --data-dir that the server uses, or start the server once with `scpfs serve --data-dir {dataDir}` to create it.',
  'error.adminMasterKeyMissing':
    '{file} does not exist, so the secret keys stored in the database cannot be sealed or opened. Restore master.key from a backup of this data directory.',
  'error.adminInvalidAccountName':
    "invalid account name '{value}'. Expected 1 to 64 letters, digits, ., _ or -, starting with a letter or digit",
  'error.adminInvalidAccountId':
    "invalid value '{value}' for --id. Expected 1 to 64 letters, digits, ., _ or -, starting with a letter or digit",
  'error.adminAccountNameTaken':
    "an account named '{name}' already exists. Choose another name, or see the accounts with `scpfs admin account list`",
  'error.adminAccountIdTaken':
    "an account with ID '{id}' already exists. Choose another ID, or leave out --id to get a random one",
  'error.adminAccountNotFound':
    "account '{id}' not found. See the account IDs with `scpfs admin account list`, or create the account with `scpfs admin account create <name>`",
  'error.adminInvalidAction':
    "invalid value '{value}' for --allow. Expected filestorage:* or filestorage:<Operation>, where <Operation> is one of: {operations}",
  'error.adminAccessKeyNotFound':
    "access key '{accessKey}' not found. See the keys with `scpfs admin key list`",

  'progress.volumeState': 'volume {id}: state {state}',
  'progress.replicationStatus': 'replication {id}: status {state}',
  'result.deleteAccepted': 'deletion of volume {id} accepted',
  'result.deleted': 'volume {id} deleted',
  'result.none': '(none)',
  'progress.snapshotState': 'snapshot {id}: state {state}',
  'progress.files': 'files {done}/{total}',
  'progress.syncQueued': 'replication {id}: waiting for the requested run to start',
  'progress.syncRunning': 'replication {id}: the requested run is transferring',
  'progress.syncInterrupted': 'replication {id}: the run was interrupted; waiting for the next run',
  'result.volumeSet': 'volume {id} updated',
  'result.replicationPaused': 'replication {id} paused',
  'result.replicationResumed': 'replication {id} resumed',
  'result.replicationDeleteAccepted': 'deletion of replication {id} accepted',
  'result.replicationDeleted': 'replication {id} deleted',
  'result.syncDone': 'replication {id}: the requested run finished: {run}',
  'result.snapshotSizeTotal': 'total size: {size}',
  'result.snapshotDeleteAccepted': 'deletion of snapshot {id} accepted',
  'result.snapshotDeleted': 'snapshot {id} deleted',
  'result.snapshotRestored': 'volume {volumeId} restored from snapshot {id}',
  'result.scheduleDeleted': 'snapshot schedule {id} deleted',
  'status.finishedRun':
    '{state}, started {startedAt}, took {duration}: {files} files and {bytes} copied, {deleted} entries deleted',
  'status.currentRun':
    'started {startedAt}: {filesDone} of {filesTotal} files, {bytesDone} of {bytesTotal}',
  'unit.days': '{n} d',
  'unit.hours': '{n} h',
  'unit.minutes': '{n} min',
  'unit.seconds': '{n} s',
  'result.total': 'total: {count}',

  'result.secretShownOnce':
    'The secret key is shown only this once and cannot be read back. Store it now.',
  'result.keyDisabled': 'access key {accessKey} disabled',
  'result.keyEnabled': 'access key {accessKey} enabled',

  'commander.unknownOption': "unknown option '{0}'",
  'commander.unknownCommand': "unknown command '{0}'",
  'commander.missingArgument': "missing required argument '{0}'",
  'commander.optionMissingArgument': "option '{0}' needs a value",
  'commander.missingMandatoryOptionValue': "required option '{0}' not specified",
  'commander.excessArguments': 'too many arguments: expected {expected}, got {received}',
  'commander.didYouMean': '(Did you mean {0}?)',
};

/** Key of a message in the catalogue. */
export type MessageKey = keyof typeof en;

const ko: Record<MessageKey, string> = {
  'help.program': '자체 호스팅 SCP File Storage 서비스인 scpfs의 클라이언트이자 서버',
  'help.usage': '사용법:',
  'help.options': '옵션:',
  'help.globalOptions': '공통 옵션:',
  'help.commands': '명령:',
  'help.arguments': '인수:',
  'help.helpOption': '이 명령의 도움말 표시',
  'help.helpCommand': '명령의 도움말 표시',
  'help.version': '버전 출력',
  'help.afterError': '(사용법은 해당 명령에 --help를 붙여 확인하세요)',

  'opt.endpoint': '서비스 URL (환경 변수 SCPFS_ENDPOINT, 기본값 http://127.0.0.1:8080)',
  'opt.accessKey': '액세스 키 (환경 변수 SCPFS_ACCESS_KEY)',
  'opt.secretKey': '시크릿 키 (환경 변수 SCPFS_SECRET_KEY)',
  'opt.dataDir':
    '데이터 디렉터리. 서버는 이곳에 데이터를 저장하고, admin 명령은 이곳을 직접 변경하며, 클라이언트는 이곳의 credentials.json을 읽습니다 (환경 변수 SCPFS_DATA_DIR, 기본값 ./data)',
  'opt.apiVersion': '요청할 API 버전: 1.1 또는 1.0 (기본값 1.1)',
  'opt.output':
    '출력 형식: table, 또는 서버 응답 본문을 그대로 출력하는 json (admin 명령은 결과를 JSON으로 출력) (기본값 table)',
  'opt.lang': '메시지 언어: ko 또는 en (기본값은 LC_ALL, LC_MESSAGES, LANG 순으로 결정)',
  'opt.waitTimeout': '--wait 사용 시 최대 대기 시간(초) (기본값 600)',

  'cmd.serve': 'scpfs 서버 시작',
  'opt.host': '수신 주소 (환경 변수 SCPFS_HOST, 기본값 127.0.0.1)',
  'opt.port': '수신 TCP 포트 (환경 변수 SCPFS_PORT, 기본값 8080)',
  'opt.config': '리전과 복제 경로를 정의하는 JSON 설정 파일 (환경 변수 SCPFS_CONFIG)',

  'cmd.volume': '볼륨 관리',
  'cmd.volumeCreate': '볼륨 생성',
  'cmd.volumeList': '볼륨 목록 조회',
  'cmd.volumeShow': '볼륨 조회 (파일이 저장된 경로 포함)',
  'cmd.volumeDelete': '볼륨 삭제',
  'arg.volumeId': '볼륨 ID',
  'arg.replicationId': '복제 ID',
  'opt.volumeName':
    '볼륨 이름: 영문 소문자로 시작하고 영문 소문자, 숫자, _ 2~20자가 이어지는 이름 (서버가 뒤에 _와 임의의 6자를 붙입니다)',
  'opt.protocol': '프로토콜: NFS 또는 CIFS',
  'opt.typeName': '디스크 유형: HDD, SSD, HighPerformanceSSD',
  'opt.cifsPassword':
    'CIFS 공유 비밀번호 (CIFS이면 필수): 영문자, 숫자, 특수 문자를 각각 하나 이상 포함한 6~20자',
  'opt.snapshotId': '이 스냅샷으로부터 볼륨 생성',
  'opt.volumeRegion': '볼륨을 생성할 리전. X-Scpfs-Region 헤더로 전송 (서버 기본값 kr-west1)',
  'opt.waitCreate': '볼륨이 available 상태가 될 때까지 기다린 뒤 출력',
  'opt.filterName': '이 이름의 볼륨만 조회',
  'opt.filterTypeName': '이 디스크 유형의 볼륨만 조회',
  'opt.sort': '정렬 순서: name:asc, name:desc, created_at:asc, created_at:desc',
  'opt.offset': '건너뛸 볼륨 수 (기본값 0)',
  'opt.limit': '반환할 최대 볼륨 수 (기본값 20)',
  'opt.waitDelete': '볼륨이 완전히 삭제될 때까지 대기',

  'cmd.replication': '볼륨 복제 관리',
  'cmd.replicationCreate': '볼륨을 다른 리전으로 복제. 초기 전체 복사는 즉시 시작됩니다',
  'cmd.replicationList': '볼륨의 복제 목록 조회',
  'cmd.replicationShow': '복제 조회',
  'cmd.replicationRegions': '볼륨을 복제할 수 있는 리전 목록 조회',
  'opt.sourceVolumeId': '원본 볼륨 ID',
  'opt.anyVolumeId': '원본 볼륨 또는 복제본 볼륨의 ID',
  'opt.replicaName': '복제본 볼륨 이름 (볼륨 이름과 같은 규칙)',
  'opt.targetRegion': '대상 리전',
  'opt.frequency': '복제 주기: 5min, hourly, daily, weekly, monthly',
  'opt.replicationType': 'replication 또는 backup (기본값 replication)',
  'opt.retention': '보관할 백업 개수, 1~128 (서버 기본값 10)',
  'opt.replicaCifsPassword': '복제본의 CIFS 비밀번호 (원본이 CIFS이면 필수)',
  'opt.waitReplication': '초기 복사가 끝나 상태가 available이 될 때까지 기다린 뒤 복제 정보를 출력',
  'opt.regionsTypeName': '디스크 유형: HDD 또는 SSD',
  'opt.sourceRegion': '원본 리전 이름',
  'opt.regionsType': 'replication 또는 backup',

  'cmd.replicationSet': '복제의 주기 또는 백업 보관 개수 변경. 옵션을 하나 이상 지정하세요',
  'opt.setRetention': '보관할 백업 개수, 1~128 (백업 유형 복제에서 사용)',
  'cmd.replicationPause':
    '복제 일시 중지: 실행 중인 전송은 끝까지 진행되고, 이후 `replication resume` 전까지 실행되지 않습니다',
  'cmd.replicationResume': '일시 중지된 복제를 다음 예약 시각부터 재개',
  'cmd.replicationDelete':
    '일시 중지된 복제 삭제. 복제본은 읽기/쓰기가 가능한 일반 볼륨이 됩니다 (장애 조치 방법)',
  'opt.waitReplicationDelete': '복제가 완전히 삭제될 때까지 대기',
  'cmd.replicationStatus': '복제의 지연, 상태 평가, 마지막 실행과 현재 실행 조회 (scpfs 확장)',
  'cmd.replicationRuns': '복제 실행 이력을 최신순으로 조회 (scpfs 확장)',
  'opt.runsLimit': '반환할 최대 실행 수, 1~1000 (기본값 20)',
  'opt.runsOffset': '건너뛸 실행 수 (기본값 0)',
  'cmd.replicationSync':
    '지금 실행 시작. 이미 실행 중인 전송이 있으면 그 전송이 먼저 끝납니다 (scpfs 확장)',
  'opt.waitSync': '요청한 실행이 커밋될 때까지 진행 상황을 stderr에 표시하며 기다린 뒤 상태를 출력',

  'cmd.volumeSet':
    '볼륨의 파일 단위 복구 설정 변경 (저장되고 조회되지만 scpfs가 이 설정에 따라 동작하지는 않음)',
  'opt.fileUnitRecovery': '파일 단위 복구를 켜려면 true, 끄려면 false',
  'cmd.accessRule':
    '볼륨의 접근 규칙 관리. scpfs는 규칙을 기록하지만 파일에 대한 접근을 제한하지는 않습니다',
  'cmd.accessRuleList': '볼륨의 접근 규칙 목록 조회',
  'cmd.accessRuleAdd': '자원이 볼륨을 사용하도록 허용하는 접근 규칙 추가',
  'cmd.accessRuleRemove': '볼륨에서 자원의 접근 규칙 삭제',
  'opt.objectType': '자원 유형: VM, BM, GPU, GPU_NODE, ENDPOINT',
  'opt.objectId': '자원 ID',

  'cmd.snapshot': '볼륨 스냅샷 관리',
  'cmd.snapshotCreate': '볼륨의 스냅샷 생성: 파일의 특정 시점 사본',
  'cmd.snapshotList': '볼륨의 스냅샷 목록 조회. 백업 대상 볼륨이면 백업 목록입니다',
  'cmd.snapshotDelete': '스냅샷 삭제',
  'cmd.snapshotRestore':
    '스냅샷을 원래 볼륨으로 복원하여 볼륨의 파일을 교체 (기존 파일을 유지하려면 `volume create --snapshot-id`로 새 볼륨을 만드세요)',
  'arg.snapshotId': '스냅샷 ID',
  'opt.snapshotVolumeId': '볼륨 ID',
  'opt.waitSnapshotCreate':
    '스냅샷이 available 상태가 될 때까지 기다린 뒤 `snapshot list`에 나오는 형태로 출력',
  'opt.waitSnapshotDelete': '스냅샷이 완전히 삭제될 때까지 대기',
  'opt.waitRestore': '볼륨이 다시 available 상태가 될 때까지 대기',

  'cmd.snapshotSchedule': '볼륨의 스냅샷 스케줄 관리',
  'cmd.scheduleCreate': '볼륨에 스냅샷 스케줄 추가',
  'cmd.scheduleList': '볼륨의 스냅샷 스케줄 목록 조회',
  'cmd.scheduleSet': '스냅샷 스케줄 변경',
  'cmd.scheduleDelete': '스냅샷 스케줄 삭제',
  'arg.scheduleId': '스냅샷 스케줄 ID (`scpfs snapshot-schedule list`로 확인)',
  'opt.scheduleFrequency': 'DAILY 또는 WEEKLY (대소문자 무관)',
  'opt.scheduleHour': '실행 시각(시), 0~23, 서버 시간대 기준 (SCPFS_TIMEZONE)',
  'opt.scheduleDayOfWeek': '요일 (WEEKLY이면 필수): SUN, MON, TUE, WED, THU, FRI, SAT',
  'opt.scheduleRetention': '볼륨에 보관할 예약 스냅샷 개수, 1~128 (서버 기본값 10)',

  'cmd.admin':
    '데이터 디렉터리에서 계정과 액세스 키를 직접 관리 (서버가 필요 없으며 서버 실행 중에도 안전)',
  'cmd.adminAccount': '계정(테넌트) 관리',
  'cmd.adminAccountCreate': '계정 생성. 한 계정의 키로는 다른 계정의 볼륨과 복제를 볼 수 없습니다',
  'cmd.adminAccountList': '계정 목록 조회',
  'arg.accountName': '계정 이름 (중복 불가): 영문자나 숫자로 시작하는 영문자, 숫자, ., _, - 1~64자',
  'opt.newAccountId': '임의 ID 대신 사용할 계정 ID (이름과 같은 규칙)',
  'cmd.adminKey': '액세스 키 관리',
  'cmd.adminKeyCreate':
    '기존 계정의 액세스 키를 생성하고 시크릿 키를 출력 (시크릿 키는 이번 한 번만 표시)',
  'opt.keyAccount': '키를 소유할 계정의 ID (`scpfs admin account list`로 확인)',
  'opt.allow':
    '허용할 IAM 작업. 쉼표로 구분하며 여러 번 지정 가능: filestorage:* 또는 filestorage:ShowVolume 같은 filestorage:<Operation> (기본값 filestorage:*)',
  'cmd.adminKeyList': '액세스 키 목록 조회 (시크릿 키는 표시하지 않음)',
  'opt.keyListAccount': '이 계정 ID의 키만 조회',
  'cmd.adminKeyDisable': '액세스 키 비활성화: 다음 요청부터 이 키로 서명한 요청은 401로 실패합니다',
  'cmd.adminKeyEnable': '비활성화된 액세스 키를 다시 활성화',
  'arg.accessKey': '액세스 키 ID',

  'error.prefix': '오류',
  'error.api': '{detail} ({code}, HTTP {status})',
  'error.http': '서버가 오류 설명 없이 HTTP {status}을(를) 반환했습니다: {body}',
  'error.notJson': '서버가 JSON이 아닌 본문과 함께 HTTP {status}을(를) 반환했습니다: {body}',
  'error.connectionRefused':
    '{endpoint}에 연결할 수 없습니다(연결 거부). `scpfs serve`로 서버를 시작하거나, 실행 중인 서버의 URL을 --endpoint로 지정하세요.',
  'error.connectionFailed': '{endpoint} 요청에 실패했습니다: {cause}',
  'error.requestTimeout': '{endpoint} 요청이 {seconds}초 후 시간 초과되었습니다',
  'error.credentialsMissing':
    '자격 증명을 찾을 수 없습니다. 확인한 위치: (1) --access-key와 --secret-key 옵션, (2) 환경 변수 SCPFS_ACCESS_KEY와 SCPFS_SECRET_KEY, 그다음 SCPFS_ROOT_ACCESS_KEY와 SCPFS_ROOT_SECRET_KEY, (3) 파일 {file}. 이 중 하나를 설정하세요. 이 파일은 서버가 처음 시작할 때 만듭니다.',
  'error.credentialsIncomplete':
    '{present}은(는) 설정되었지만 {missing}이(가) 없습니다. 둘 다 설정하세요',
  'error.credentialsFile': '{file}에서 자격 증명을 읽을 수 없습니다: {reason}',
  'error.credentialsFileShape':
    '{file}에서 자격 증명을 읽을 수 없습니다: 비어 있지 않은 문자열로 된 {"access_key": "...", "secret_key": "..."} 형식이어야 합니다',
  'error.invalidChoice': "{option}의 값 '{value}'이(가) 올바르지 않습니다. 허용되는 값: {allowed}",
  'error.invalidInteger':
    "{option}의 값 '{value}'이(가) 올바르지 않습니다. {min}~{max} 범위의 정수를 지정하세요",
  'error.invalidName':
    "{option}의 값 '{value}'이(가) 올바르지 않습니다. 영문 소문자로 시작하고 영문 소문자, 숫자, _ 2~20자가 이어져야 합니다",
  'error.invalidEndpoint':
    "엔드포인트 '{value}'이(가) 올바르지 않습니다. http://127.0.0.1:8080 같은 http:// 또는 https:// URL을 지정하세요",
  'error.waitVolumeAvailable':
    '볼륨 {id}이(가) available 상태가 되기를 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 작업은 서버에서 계속되니 `scpfs volume show {id}`로 확인하세요.',
  'error.waitVolumeDeleted':
    '볼륨 {id}이(가) 삭제되기를 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 작업은 서버에서 계속되니 `scpfs volume show {id}`로 확인하세요.',
  'error.waitReplicationAvailable':
    '복제 {id}이(가) available 상태가 되기를 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 작업은 서버에서 계속되니 `scpfs replication show {id} --volume-id {volumeId}`로 확인하세요.',
  'error.volumeFailed': '볼륨 {id}이(가) error 상태입니다. 원인은 서버 로그에서 확인하세요',
  'error.replicationFailed':
    '복제 {id}이(가) error 상태입니다. 원인은 서버 로그에서 확인하세요. 다음 예약 실행에서 다시 시도합니다',
  'error.unexpected': '예기치 않은 오류: {message}',
  'error.emptyValue': '{option}의 값이 비어 있습니다. 값을 지정하거나 옵션을 빼세요',
  'error.replicationSetNothing':
    '변경할 내용이 없습니다. --frequency, --backup-retention-count 중 하나 이상을 지정하세요',
  'error.waitReplicationDeleted':
    '복제 {id}이(가) 삭제되기를 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 작업은 서버에서 계속되니 `scpfs replication show {id} --volume-id {volumeId}`로 확인하세요.',
  'error.syncFailed': '복제 {id}의 요청한 실행이 실패했습니다: {error}',
  'error.syncPaused':
    '복제 {id}이(가) 일시 중지되어 요청한 실행이 시작되지 않습니다. `scpfs replication resume {id} --volume-id {volumeId}`로 재개하세요.',
  'error.waitSync':
    '복제 {id}의 요청한 실행을 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 단계: {state}). 실행은 서버에서 계속되니 `scpfs replication status {id} --volume-id {volumeId}`로 확인하세요.',
  'error.snapshotFailed':
    '볼륨 {volumeId}의 스냅샷 {id}이(가) error 상태입니다. 원인은 서버 로그에서 확인하고, `scpfs snapshot delete {id} --volume-id {volumeId}`로 삭제하세요.',
  'error.snapshotGone':
    '스냅샷 {id}이(가) 볼륨 {volumeId}의 목록에 더 이상 없습니다. 삭제되었습니다.',
  'error.restoreFailed':
    '스냅샷 {id}을(를) 복원한 뒤 볼륨 {volumeId}이(가) error 상태가 되었습니다. 원인은 서버 로그에서 확인하세요.',
  'error.waitSnapshotAvailable':
    '스냅샷 {id}이(가) available 상태가 되기를 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 작업은 서버에서 계속되니 `scpfs snapshot list --volume-id {volumeId}`로 확인하세요.',
  'error.waitSnapshotDeleted':
    '스냅샷 {id}이(가) 삭제되기를 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 작업은 서버에서 계속되니 `scpfs snapshot list --volume-id {volumeId}`로 확인하세요.',
  'error.waitRestore':
    '볼륨 {volumeId}에 스냅샷 {id}을(를) 복원하는 작업을 {seconds}초 동안 기다렸지만 시간이 초과되었습니다 (마지막 상태: {state}). 복원은 서버에서 계속되니 `scpfs volume show {volumeId}`로 확인하세요.',
  'error.weeklyNeedsDay':
    '--frequency WEEKLY에는 --day-of-week가 필요합니다: SUN, MON, TUE, WED, THU, FRI, SAT',
  'error.dailyTakesNoDay':
    "--day-of-week '{value}'은(는) --frequency WEEKLY에만 적용됩니다. DAILY에서는 빼세요",

  'error.adminDataDirNotInitialized':
    '{dataDir}은(는) scpfs 데이터 디렉터리가 아닙니다: {file}이(가) 없습니다. 서버가 사용하는 --data-dir을 지정하거나, `scpfs serve --data-dir {dataDir}`로 서버를 한 번 시작해 디렉터리를 만드세요.',
  'error.adminMasterKeyMissing':
    '{file}이(가) 없어 데이터베이스에 저장된 시크릿 키를 암호화하거나 복호화할 수 없습니다. 이 데이터 디렉터리의 백업에서 master.key를 복원하세요.',
  'error.adminInvalidAccountName':
    "계정 이름 '{value}'이(가) 올바르지 않습니다. 영문자나 숫자로 시작하는 영문자, 숫자, ., _, - 1~64자여야 합니다",
  'error.adminInvalidAccountId':
    "--id의 값 '{value}'이(가) 올바르지 않습니다. 영문자나 숫자로 시작하는 영문자, 숫자, ., _, - 1~64자여야 합니다",
  'error.adminAccountNameTaken':
    "이름이 '{name}'인 계정이 이미 있습니다. 다른 이름을 사용하거나 `scpfs admin account list`로 계정을 확인하세요",
  'error.adminAccountIdTaken':
    "ID가 '{id}'인 계정이 이미 있습니다. 다른 ID를 사용하거나 --id를 빼서 임의 ID를 받으세요",
  'error.adminAccountNotFound':
    "계정 '{id}'을(를) 찾을 수 없습니다. `scpfs admin account list`로 계정 ID를 확인하거나 `scpfs admin account create <name>`으로 계정을 만드세요",
  'error.adminInvalidAction':
    "--allow의 값 '{value}'이(가) 올바르지 않습니다. filestorage:* 또는 filestorage:<Operation> 형식이어야 하며, <Operation>은 다음 중 하나입니다: {operations}",
  'error.adminAccessKeyNotFound':
    "액세스 키 '{accessKey}'을(를) 찾을 수 없습니다. `scpfs admin key list`로 키를 확인하세요",

  'progress.volumeState': '볼륨 {id}: 상태 {state}',
  'progress.replicationStatus': '복제 {id}: 상태 {state}',
  'result.deleteAccepted': '볼륨 {id} 삭제 요청이 접수되었습니다',
  'result.deleted': '볼륨 {id}이(가) 삭제되었습니다',
  'result.none': '(없음)',
  'progress.snapshotState': '스냅샷 {id}: 상태 {state}',
  'progress.files': '파일 {done}/{total}',
  'progress.syncQueued': '복제 {id}: 요청한 실행이 시작되기를 기다리는 중',
  'progress.syncRunning': '복제 {id}: 요청한 실행이 전송 중',
  'progress.syncInterrupted': '복제 {id}: 실행이 중단되었습니다. 다음 실행을 기다리는 중',
  'result.volumeSet': '볼륨 {id}을(를) 변경했습니다',
  'result.replicationPaused': '복제 {id}을(를) 일시 중지했습니다',
  'result.replicationResumed': '복제 {id}을(를) 재개했습니다',
  'result.replicationDeleteAccepted': '복제 {id} 삭제 요청이 접수되었습니다',
  'result.replicationDeleted': '복제 {id}이(가) 삭제되었습니다',
  'result.syncDone': '복제 {id}: 요청한 실행이 끝났습니다: {run}',
  'result.snapshotSizeTotal': '전체 크기: {size}',
  'result.snapshotDeleteAccepted': '스냅샷 {id} 삭제 요청이 접수되었습니다',
  'result.snapshotDeleted': '스냅샷 {id}이(가) 삭제되었습니다',
  'result.snapshotRestored': '볼륨 {volumeId}을(를) 스냅샷 {id}(으)로 복원했습니다',
  'result.scheduleDeleted': '스냅샷 스케줄 {id}을(를) 삭제했습니다',
  'status.finishedRun':
    '{state}, {startedAt} 시작, {duration} 소요: 파일 {files}개와 {bytes} 복사, 항목 {deleted}개 삭제',
  'status.currentRun':
    '{startedAt} 시작: 파일 {filesTotal}개 중 {filesDone}개, {bytesTotal} 중 {bytesDone}',
  'unit.days': '{n}일',
  'unit.hours': '{n}시간',
  'unit.minutes': '{n}분',
  'unit.seconds': '{n}초',
  'result.total': '전체: {count}개',

  'result.secretShownOnce':
    '시크릿 키는 이번 한 번만 표시되며 다시 조회할 수 없습니다. 지금 안전한 곳에 보관하세요.',
  'result.keyDisabled': '액세스 키 {accessKey}을(를) 비활성화했습니다',
  'result.keyEnabled': '액세스 키 {accessKey}을(를) 활성화했습니다',

  'commander.unknownOption': "알 수 없는 옵션 '{0}'",
  'commander.unknownCommand': "알 수 없는 명령 '{0}'",
  'commander.missingArgument': "필수 인수 '{0}'이(가) 없습니다",
  'commander.optionMissingArgument': "옵션 '{0}'에 값이 필요합니다",
  'commander.missingMandatoryOptionValue': "필수 옵션 '{0}'이(가) 지정되지 않았습니다",
  'commander.excessArguments':
    '인수가 너무 많습니다: {expected}개를 예상했지만 {received}개를 받았습니다',
  'commander.didYouMean': '({0}을(를) 의도하셨나요?)',
};

/** Column and row labels of response fields. A field without a label is shown by its key. */
const fieldLabels: Record<Locale, Record<string, string>> = {
  en: {
    id: 'ID',
    name: 'Name',
    protocol: 'Protocol',
    state: 'State',
    account_id: 'Account ID',
    created_at: 'Created at',
    type_id: 'Type ID',
    type_name: 'Disk type',
    purpose: 'Purpose',
    encryption_enabled: 'Encryption',
    file_unit_recovery_enabled: 'File unit recovery',
    path: 'Path',
    endpoint_path: 'Endpoint path',
    usage: 'Usage (bytes)',
    cifs_id: 'CIFS ID',
    volume_id: 'Volume ID',
    volume_name: 'Volume name',
    snapshot_id: 'Snapshot ID',
    replication_id: 'Replication ID',
    replication_status: 'Status',
    replication_policy: 'Policy',
    replication_frequency: 'Frequency',
    replication_type: 'Type',
    source_volume_id: 'Source volume ID',
    source_volume_name: 'Source volume name',
    source_volume_region: 'Source region',
    source_volume_access_level: 'Source access',
    replication_volume_id: 'Replica volume ID',
    replication_volume_name: 'Replica volume name',
    replication_volume_region: 'Replica region',
    replication_volume_access_level: 'Replica access',
    backup_retention_count: 'Backups kept',
    region: 'Region',
    access_key: 'Access key',
    secret_key: 'Secret key',
    allowed_actions: 'Allowed actions',
    disabled: 'Disabled',
    health: 'Health',
    lag_seconds: 'Lag',
    interval_seconds: 'Interval',
    last_replicated_at: 'Last replicated at',
    next_run_at: 'Next run at',
    last_error: 'Last error',
    last_run: 'Last run',
    last_run_error: 'Last run error',
    current_run: 'Current run',
    run_id: 'Run ID',
    started_at: 'Started at',
    finished_at: 'Finished at',
    duration_ms: 'Duration',
    files_copied: 'Files copied',
    bytes_copied: 'Bytes copied',
    entries_deleted: 'Entries deleted',
    error: 'Error',
    action: 'Action',
    object_type: 'Object type',
    object_id: 'Object ID',
    access_rule_state: 'Rule state',
    size: 'Size',
    frequency: 'Frequency',
    hour: 'Hour',
    day_of_week: 'Day of week',
    snapshot_retention_count: 'Snapshots kept',
    snapshot_policy_enabled: 'Schedules enabled',
  },
  ko: {
    id: 'ID',
    name: '이름',
    protocol: '프로토콜',
    state: '상태',
    account_id: '계정 ID',
    created_at: '생성 시각',
    type_id: '유형 ID',
    type_name: '디스크 유형',
    purpose: '용도',
    encryption_enabled: '암호화',
    file_unit_recovery_enabled: '파일 단위 복구',
    path: '경로',
    endpoint_path: '엔드포인트 경로',
    usage: '사용량(바이트)',
    cifs_id: 'CIFS ID',
    volume_id: '볼륨 ID',
    volume_name: '볼륨 이름',
    snapshot_id: '스냅샷 ID',
    replication_id: '복제 ID',
    replication_status: '상태',
    replication_policy: '정책',
    replication_frequency: '주기',
    replication_type: '유형',
    source_volume_id: '원본 볼륨 ID',
    source_volume_name: '원본 볼륨 이름',
    source_volume_region: '원본 리전',
    source_volume_access_level: '원본 접근 수준',
    replication_volume_id: '복제본 볼륨 ID',
    replication_volume_name: '복제본 볼륨 이름',
    replication_volume_region: '복제본 리전',
    replication_volume_access_level: '복제본 접근 수준',
    backup_retention_count: '백업 보관 개수',
    region: '리전',
    access_key: '액세스 키',
    secret_key: '시크릿 키',
    allowed_actions: '허용된 작업',
    disabled: '비활성화',
    health: '상태 평가',
    lag_seconds: '지연',
    interval_seconds: '주기 간격',
    last_replicated_at: '마지막 복제 시각',
    next_run_at: '다음 실행 시각',
    last_error: '마지막 오류',
    last_run: '마지막 실행',
    last_run_error: '마지막 실행 오류',
    current_run: '현재 실행',
    run_id: '실행 ID',
    started_at: '시작 시각',
    finished_at: '종료 시각',
    duration_ms: '소요 시간',
    files_copied: '복사한 파일',
    bytes_copied: '복사한 용량',
    entries_deleted: '삭제한 항목',
    error: '오류',
    action: '작업',
    object_type: '객체 유형',
    object_id: '객체 ID',
    access_rule_state: '규칙 상태',
    size: '크기',
    frequency: '주기',
    hour: '시',
    day_of_week: '요일',
    snapshot_retention_count: '스냅샷 보관 개수',
    snapshot_policy_enabled: '스케줄 사용',
  },
};

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ko };

/** Values substituted into `{name}` placeholders of a message. */
export type MessageParams = Record<string, string | number>;

/** Message catalogue of one locale. */
export class Messages {
  constructor(readonly locale: Locale) {}

  /** Formats the message `key`, replacing each `{name}` that `params` has a value for. */
  t(key: MessageKey, params: MessageParams = {}): string {
    return catalogues[this.locale][key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      name in params ? String(params[name]) : placeholder,
    );
  }

  /** Returns the label of a response field, or the field's key when it has none. */
  fieldLabel(field: string): string {
    return fieldLabels[this.locale][field] ?? field;
  }

  /** Returns the `Accept-Language` value that requests this locale from the server. */
  acceptLanguage(): string {
    return this.locale === 'ko' ? 'ko-KR' : 'en-US';
  }
}

/** Returns every message key, for tests that compare the catalogues. */
export function messageKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}
