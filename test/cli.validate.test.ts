import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/errors.js';
import { Messages } from '../src/cli/messages.js';
import {
  DAYS_OF_WEEK,
  FREQUENCIES,
  SNAPSHOT_FREQUENCIES,
  checkBoolean,
  checkChoice,
  checkChoiceIgnoreCase,
  checkEndpoint,
  checkInteger,
  checkNotEmpty,
  checkVolumeName,
} from '../src/cli/validate.js';

const en = new Messages('en');
const ko = new Messages('ko');

function caught(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('checkChoice', () => {
  it('returns an allowed value', () => {
    expect(checkChoice('--frequency', 'hourly', FREQUENCIES)).toBe('hourly');
  });

  it('passes undefined through', () => {
    expect(checkChoice('--type', undefined, FREQUENCIES)).toBeUndefined();
  });

  it('names value and allowed values', () => {
    const err = caught(() => checkChoice('--frequency', 'foo', FREQUENCIES));
    expect(en.t(err.key, err.params)).toBe(
      "invalid value 'foo' for --frequency. Allowed values: 5min, hourly, daily, weekly, monthly",
    );
    expect(ko.t(err.key, err.params)).toBe(
      "--frequency의 값 'foo'이(가) 올바르지 않습니다. 허용되는 값: 5min, hourly, daily, weekly, monthly",
    );
  });

  it('is case-sensitive', () => {
    expect(() => checkChoice('--protocol', 'nfs', ['NFS', 'CIFS'])).toThrow(CliError);
  });
});

describe('checkInteger', () => {
  it.each([
    ['1', 1],
    ['128', 128],
    ['007', 7],
  ])('accepts %s', (value, expected) => {
    expect(checkInteger('--backup-retention-count', value, 1, 128)).toBe(expected);
  });

  it.each(['0', '129', '-1', '1.5', '1e2', '', ' 3', 'ten', '99999999999999999999'])(
    'rejects %j',
    (value) => {
      const err = caught(() => checkInteger('--backup-retention-count', value, 1, 128));
      expect(err.key).toBe('error.invalidInteger');
      expect(err.params).toEqual({ option: '--backup-retention-count', value, min: 1, max: 128 });
    },
  );

  it('passes undefined through', () => {
    expect(checkInteger('--limit', undefined, 0, 10)).toBeUndefined();
  });
});

describe('checkVolumeName', () => {
  it.each(['abc', 'my_volume', 'a1_', `a${'b'.repeat(20)}`])('accepts %s', (name) => {
    expect(checkVolumeName('--name', name)).toBe(name);
  });

  it.each(['ab', '1abc', 'Abc', 'my-volume', `a${'b'.repeat(21)}`, ''])('rejects %j', (name) => {
    expect(caught(() => checkVolumeName('--name', name)).key).toBe('error.invalidName');
  });
});

describe('checkEndpoint', () => {
  it('drops a trailing slash', () => {
    expect(checkEndpoint('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
  });

  it('keeps a base path', () => {
    expect(checkEndpoint('https://localhost/fs/')).toBe('https://localhost/fs');
  });

  it.each(['127.0.0.1:8080', 'ftp://localhost', 'not a url'])('rejects %s', (value) => {
    const err = caught(() => checkEndpoint(value));
    expect(err.key).toBe('error.invalidEndpoint');
    expect(err.params).toEqual({ value });
  });
});

describe('checkChoiceIgnoreCase', () => {
  it('returns the allowed spelling', () => {
    expect(checkChoiceIgnoreCase('--frequency', 'weekly', SNAPSHOT_FREQUENCIES)).toBe('WEEKLY');
    expect(checkChoiceIgnoreCase('--day-of-week', 'Mon', DAYS_OF_WEEK)).toBe('MON');
  });

  it('passes undefined through', () => {
    expect(checkChoiceIgnoreCase('--day-of-week', undefined, DAYS_OF_WEEK)).toBeUndefined();
  });

  it('names the value as given', () => {
    const err = caught(() => checkChoiceIgnoreCase('--frequency', 'hourly', SNAPSHOT_FREQUENCIES));
    expect(en.t(err.key, err.params)).toBe(
      "invalid value 'hourly' for --frequency. Allowed values: DAILY, WEEKLY",
    );
  });
});

describe('checkBoolean', () => {
  it('parses true and false', () => {
    expect(checkBoolean('--file-unit-recovery', 'true')).toBe(true);
    expect(checkBoolean('--file-unit-recovery', 'false')).toBe(false);
    expect(checkBoolean('--file-unit-recovery', undefined)).toBeUndefined();
  });

  it('rejects other spellings', () => {
    for (const value of ['True', '1', 'yes', '']) {
      expect(() => checkBoolean('--file-unit-recovery', value), value).toThrow(CliError);
    }
  });
});

describe('checkNotEmpty', () => {
  it('rejects only the empty string', () => {
    expect(checkNotEmpty('--snapshot-id', 's-1')).toBe('s-1');
    expect(checkNotEmpty('--snapshot-id', undefined)).toBeUndefined();
    const err = caught(() => checkNotEmpty('--snapshot-id', ''));
    expect(ko.t(err.key, err.params)).toBe(
      '--snapshot-id의 값이 비어 있습니다. 값을 지정하거나 옵션을 빼세요',
    );
  });
});
