import path from 'node:path';
import { CliError } from './errors.js';

/** Access key pair and where it was found. */
export interface Credentials {
  accessKey: string;
  secretKey: string;
  source: 'options' | 'env' | 'root-env' | 'file';
}

export interface CredentialInputs {
  /** Values of `--access-key` and `--secret-key`. */
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Absolute data directory that may hold credentials.json. */
  dataDir: string;
  /** Reads a file as UTF-8, returning undefined when it does not exist. */
  readFile: (file: string) => string | undefined;
}

interface NamedPair {
  source: Credentials['source'];
  names: [string, string];
  values: [string | undefined, string | undefined];
}

/**
 * Resolves credentials from, in order: the options, SCPFS_ACCESS_KEY/SCPFS_SECRET_KEY,
 * SCPFS_ROOT_ACCESS_KEY/SCPFS_ROOT_SECRET_KEY, and `<dataDir>/credentials.json`. The first
 * source that has both keys wins. A source with only one of the two raises, because falling
 * through would silently use other credentials than the user meant.
 */
export function resolveCredentials(inputs: CredentialInputs): Credentials {
  for (const pair of credentialPairs(inputs)) {
    const found = takePair(pair);
    if (found) return found;
  }
  return readCredentialsFile(inputs);
}

function credentialPairs({ accessKey, secretKey, env }: CredentialInputs): NamedPair[] {
  return [
    {
      source: 'options',
      names: ['--access-key', '--secret-key'],
      values: [accessKey, secretKey],
    },
    {
      source: 'env',
      names: ['SCPFS_ACCESS_KEY', 'SCPFS_SECRET_KEY'],
      values: [env.SCPFS_ACCESS_KEY, env.SCPFS_SECRET_KEY],
    },
    {
      source: 'root-env',
      names: ['SCPFS_ROOT_ACCESS_KEY', 'SCPFS_ROOT_SECRET_KEY'],
      values: [env.SCPFS_ROOT_ACCESS_KEY, env.SCPFS_ROOT_SECRET_KEY],
    },
  ];
}

function takePair({ source, names, values }: NamedPair): Credentials | undefined {
  const [accessKey, secretKey] = values;
  if (!accessKey && !secretKey) return undefined;
  if (!accessKey || !secretKey) {
    const [present, missing] = accessKey ? names : [names[1], names[0]];
    throw new CliError('error.credentialsIncomplete', { present, missing });
  }
  return { accessKey, secretKey, source };
}

function readCredentialsFile({ dataDir, readFile }: CredentialInputs): Credentials {
  const file = path.join(dataDir, 'credentials.json');
  const text = readTextFile(file, readFile);
  if (text === undefined) throw new CliError('error.credentialsMissing', { file });
  const parsed = parseCredentialsJson(text, file);
  return { ...parsed, source: 'file' };
}

function readTextFile(file: string, readFile: CredentialInputs['readFile']): string | undefined {
  try {
    return readFile(file);
  } catch (err) {
    throw new CliError(
      'error.credentialsFile',
      { file, reason: (err as Error).message },
      {
        cause: err,
      },
    );
  }
}

function parseCredentialsJson(text: string, file: string): Omit<Credentials, 'source'> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(
      'error.credentialsFile',
      { file, reason: (err as Error).message },
      {
        cause: err,
      },
    );
  }
  const { access_key: accessKey, secret_key: secretKey } = (json ?? {}) as Record<string, unknown>;
  if (typeof accessKey !== 'string' || typeof secretKey !== 'string' || !accessKey || !secretKey) {
    throw new CliError('error.credentialsFileShape', { file });
  }
  return { accessKey, secretKey };
}
