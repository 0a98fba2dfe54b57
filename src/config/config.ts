import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One storage region: its name and the directory that contains its volumes. */
export interface RegionConfig {
  name: string;
  root: string;
}

/** Allowed replication target regions for one source region, replication type and disk type. */
export interface ReplicationRouteConfig {
  sourceRegion: string;
  replicationType: 'replication' | 'backup';
  typeName: 'HDD' | 'SSD';
  targetRegions: string[];
}

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** Public base URL used to rebuild signed URLs behind a proxy; empty to use the Host header. */
  publicBaseUrl: string;
  trustProxy: boolean;
  rootAccessKey: string | undefined;
  rootSecretKey: string | undefined;
  timeZone: string;
  clockSkewMs: number;
  defaultLocale: 'ko' | 'en';
  apiV10Enabled: boolean;
  regions: RegionConfig[];
  /** Empty means every configured region is a target for every source region. */
  replicationRoutes: ReplicationRouteConfig[];
  runnerIntervalMs: number;
  leaseTimeoutMs: number;
  retryBackoffMs: number[];
  logLevel: string;
  /** Bearer token required on /metrics; empty leaves /metrics open like most exporters. */
  metricsToken: string;
}

/** Settings given as command-line flags; each one overrides its environment variable. */
export interface ConfigFlags {
  dataDir?: string;
  host?: string;
  port?: string | number;
  configFile?: string;
}

type FileConfig = Partial<Omit<Config, 'dataDir' | 'regions'>> & {
  regions?: { name: string; root?: string }[];
};

/** Error that lists every invalid setting at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_REGIONS = ['kr-west1', 'kr-east1'];

/**
 * Builds the configuration from flags, environment variables (SCPFS_*), an optional JSON
 * configuration file and defaults, in that order of precedence. Validates everything at once
 * and returns a frozen object.
 */
export function loadConfig(
  flags: ConfigFlags = {},
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const dataDir = path.resolve(flags.dataDir ?? env.SCPFS_DATA_DIR ?? './data');
  const configFile = flags.configFile ?? env.SCPFS_CONFIG;
  const file = configFile ? readConfigFile(configFile) : {};
  const problems: string[] = [];

  const config: Config = {
    dataDir,
    host: flags.host ?? env.SCPFS_HOST ?? file.host ?? '127.0.0.1',
    port: parseInteger('port', flags.port ?? env.SCPFS_PORT ?? file.port ?? 8080, problems),
    publicBaseUrl: env.SCPFS_PUBLIC_BASE_URL ?? file.publicBaseUrl ?? '',
    trustProxy: parseBoolean(env.SCPFS_TRUST_PROXY ?? file.trustProxy ?? false),
    rootAccessKey: env.SCPFS_ROOT_ACCESS_KEY || undefined,
    rootSecretKey: env.SCPFS_ROOT_SECRET_KEY || undefined,
    timeZone: env.SCPFS_TIMEZONE ?? file.timeZone ?? 'Asia/Seoul',
    clockSkewMs: parseInteger(
      'clockSkewMs',
      env.SCPFS_CLOCK_SKEW_MS ?? file.clockSkewMs ?? 15 * 60_000,
      problems,
    ),
    defaultLocale: (env.SCPFS_DEFAULT_LOCALE ?? file.defaultLocale ?? 'ko') as 'ko' | 'en',
    apiV10Enabled: parseBoolean(env.SCPFS_API_V10_ENABLED ?? file.apiV10Enabled ?? true),
    regions: resolveRegions(file.regions, dataDir),
    replicationRoutes: file.replicationRoutes ?? [],
    runnerIntervalMs: parseInteger(
      'runnerIntervalMs',
      env.SCPFS_RUNNER_INTERVAL_MS ?? file.runnerIntervalMs ?? 1000,
      problems,
    ),
    leaseTimeoutMs: parseInteger(
      'leaseTimeoutMs',
      env.SCPFS_LEASE_TIMEOUT_MS ?? file.leaseTimeoutMs ?? 30_000,
      problems,
    ),
    retryBackoffMs: file.retryBackoffMs ?? [5_000, 30_000, 120_000, 600_000],
    logLevel: env.SCPFS_LOG_LEVEL ?? file.logLevel ?? 'info',
    metricsToken: env.SCPFS_METRICS_TOKEN ?? file.metricsToken ?? '',
    ...overrides,
  };
  validateConfig(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function readConfigFile(file: string): FileConfig {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FileConfig;
  } catch (err) {
    throw new ConfigError([`cannot read configuration file ${file}: ${(err as Error).message}`]);
  }
}

function resolveRegions(regions: FileConfig['regions'], dataDir: string): RegionConfig[] {
  const list: { name: string; root?: string }[] =
    regions ?? DEFAULT_REGIONS.map((name) => ({ name }));
  return list.map((r) => ({
    name: r.name,
    root: path.resolve(dataDir, r.root ?? path.join('regions', r.name)),
  }));
}

function parseInteger(name: string, value: unknown, problems: string[]): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0) {
    problems.push(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    return 0;
  }
  return n;
}

function parseBoolean(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}

function validateConfig(config: Config, problems: string[]): void {
  if (config.port > 65535) problems.push(`port must be at most 65535, got ${config.port}`);
  if (!isValidTimeZone(config.timeZone)) {
    problems.push(
      `SCPFS_TIMEZONE must be an IANA time zone such as Asia/Seoul, got ${config.timeZone}`,
    );
  }
  if (config.defaultLocale !== 'ko' && config.defaultLocale !== 'en') {
    problems.push(`defaultLocale must be ko or en, got ${String(config.defaultLocale)}`);
  }
  if (config.regions.length === 0) problems.push('at least one region must be configured');
  const names = new Set(config.regions.map((r) => r.name));
  if (names.size !== config.regions.length) problems.push('region names must be unique');
  for (const route of config.replicationRoutes) {
    for (const region of [route.sourceRegion, ...route.targetRegions]) {
      if (!names.has(region)) problems.push(`replication route names unknown region ${region}`);
    }
  }
}

function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
