import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCredentials, type CredentialInputs } from '../src/cli/credentials.js';
import { CliError } from '../src/cli/errors.js';
import { Messages } from '../src/cli/messages.js';

const dataDir = '/srv/scpfs-data';
const credentialsFile = path.join(dataDir, 'credentials.json');
const fileText = JSON.stringify({ access_key: 'FILE_AK', secret_key: 'FILE_SK' });

function inputs(overrides: Partial<CredentialInputs> = {}): CredentialInputs {
  return {
    env: {},
    dataDir,
    readFile: (file) => (file === credentialsFile ? fileText : undefined),
    ...overrides,
  };
}

const fullEnv = {
  SCPFS_ACCESS_KEY: 'ENV_AK',
  SCPFS_SECRET_KEY: 'ENV_SK',
  SCPFS_ROOT_ACCESS_KEY: 'ROOT_AK',
  SCPFS_ROOT_SECRET_KEY: 'ROOT_SK',
};

function caught(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('resolveCredentials', () => {
  it('prefers the options', () => {
    const found = resolveCredentials(
      inputs({ accessKey: 'OPT_AK', secretKey: 'OPT_SK', env: fullEnv }),
    );
    expect(found).toEqual({ accessKey: 'OPT_AK', secretKey: 'OPT_SK', source: 'options' });
  });

  it('then SCPFS_ACCESS_KEY and SCPFS_SECRET_KEY', () => {
    const found = resolveCredentials(inputs({ env: fullEnv }));
    expect(found).toEqual({ accessKey: 'ENV_AK', secretKey: 'ENV_SK', source: 'env' });
  });

  it('then the root key variables', () => {
    const env = { SCPFS_ROOT_ACCESS_KEY: 'ROOT_AK', SCPFS_ROOT_SECRET_KEY: 'ROOT_SK' };
    const found = resolveCredentials(inputs({ env }));
    expect(found).toEqual({ accessKey: 'ROOT_AK', secretKey: 'ROOT_SK', source: 'root-env' });
  });

  it('then credentials.json in the data directory', () => {
    expect(resolveCredentials(inputs())).toEqual({
      accessKey: 'FILE_AK',
      secretKey: 'FILE_SK',
      source: 'file',
    });
  });

  it('treats empty variables as unset', () => {
    const env = { SCPFS_ACCESS_KEY: '', SCPFS_SECRET_KEY: '' };
    expect(resolveCredentials(inputs({ env })).source).toBe('file');
  });

  it('rejects an option pair with one half', () => {
    const err = caught(() => resolveCredentials(inputs({ accessKey: 'OPT_AK', env: fullEnv })));
    expect(err.key).toBe('error.credentialsIncomplete');
    expect(err.params).toEqual({ present: '--access-key', missing: '--secret-key' });
  });

  it('rejects an environment pair with one half', () => {
    const err = caught(() => resolveCredentials(inputs({ env: { SCPFS_SECRET_KEY: 'ENV_SK' } })));
    expect(err.params).toEqual({ present: 'SCPFS_SECRET_KEY', missing: 'SCPFS_ACCESS_KEY' });
  });

  it('names all three places when nothing is found', () => {
    const err = caught(() => resolveCredentials(inputs({ readFile: () => undefined })));
    expect(err.key).toBe('error.credentialsMissing');
    const text = new Messages('en').t(err.key, err.params);
    expect(text).toContain('--access-key and --secret-key');
    expect(text).toContain('SCPFS_ACCESS_KEY and SCPFS_SECRET_KEY');
    expect(text).toContain('SCPFS_ROOT_ACCESS_KEY and SCPFS_ROOT_SECRET_KEY');
    expect(text).toContain(credentialsFile);
    const korean = new Messages('ko').t(err.key, err.params);
    expect(korean).toContain('자격 증명을 찾을 수 없습니다');
    expect(korean).toContain(credentialsFile);
  });

  it('reports a file that is not JSON', () => {
    const err = caught(() => resolveCredentials(inputs({ readFile: () => '{oops' })));
    expect(err.key).toBe('error.credentialsFile');
    expect(err.params.file).toBe(credentialsFile);
  });

  it('reports a file without both keys', () => {
    const readFile = () => JSON.stringify({ access_key: 'AK', secret_key: '' });
    const err = caught(() => resolveCredentials(inputs({ readFile })));
    expect(err.key).toBe('error.credentialsFileShape');
  });

  it('reports a file it cannot read', () => {
    const readFile = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const err = caught(() => resolveCredentials(inputs({ readFile })));
    expect(err.key).toBe('error.credentialsFile');
    expect(err.params.reason).toContain('EACCES');
  });
});
