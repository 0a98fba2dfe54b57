import { describe, expect, it } from 'vitest';
import { chooseLocale, findLangArgument } from '../src/cli/locale.js';
import { Messages, messageKeys } from '../src/cli/messages.js';

describe('chooseLocale', () => {
  it('prefers --lang over the environment', () => {
    expect(chooseLocale('en', { LANG: 'ko_KR.UTF-8' })).toBe('en');
    expect(chooseLocale('ko', { LANG: 'en_US.UTF-8' })).toBe('ko');
  });

  it('takes LC_ALL before LC_MESSAGES before LANG', () => {
    expect(chooseLocale(undefined, { LC_ALL: 'ko_KR', LC_MESSAGES: 'en_US', LANG: 'en_US' })).toBe(
      'ko',
    );
    expect(chooseLocale(undefined, { LC_MESSAGES: 'ko_KR', LANG: 'en_US' })).toBe('ko');
    expect(chooseLocale(undefined, { LC_MESSAGES: 'en_US', LANG: 'ko_KR' })).toBe('en');
    expect(chooseLocale(undefined, { LANG: 'ko' })).toBe('ko');
  });

  it('skips empty variables', () => {
    expect(chooseLocale(undefined, { LC_ALL: '', LANG: 'ko_KR.UTF-8' })).toBe('ko');
  });

  it('defaults to English', () => {
    expect(chooseLocale(undefined, {})).toBe('en');
    expect(chooseLocale(undefined, { LANG: 'C' })).toBe('en');
    expect(chooseLocale(undefined, { LANG: 'POSIX' })).toBe('en');
    expect(chooseLocale(undefined, { LANG: 'ja_JP.UTF-8' })).toBe('en');
  });

  it('ignores an invalid --lang value', () => {
    expect(chooseLocale('fr', { LANG: 'ko_KR' })).toBe('ko');
  });
});

describe('findLangArgument', () => {
  it('reads both option forms', () => {
    expect(findLangArgument(['volume', 'list', '--lang', 'ko'])).toBe('ko');
    expect(findLangArgument(['--lang=en', 'volume', 'list'])).toBe('en');
  });

  it('stops at --', () => {
    expect(findLangArgument(['volume', '--', '--lang', 'ko'])).toBeUndefined();
  });

  it('returns undefined without the option', () => {
    expect(findLangArgument(['volume', 'list'])).toBeUndefined();
  });
});

describe('Messages', () => {
  it('has the same keys in both languages', () => {
    expect(messageKeys('ko').sort()).toEqual(messageKeys('en').sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const en = new Messages('en');
    const ko = new Messages('ko');
    for (const key of messageKeys('en') as Parameters<Messages['t']>[0][]) {
      expect(placeholders(ko.t(key)), key).toEqual(placeholders(en.t(key)));
    }
  });

  it('fills placeholders and keeps unknown ones', () => {
    const en = new Messages('en');
    expect(en.t('result.deleted', { id: 'v1' })).toBe('volume v1 deleted');
    expect(en.t('result.deleted')).toBe('volume {id} deleted');
  });

  it('maps locale to Accept-Language', () => {
    expect(new Messages('ko').acceptLanguage()).toBe('ko-KR');
    expect(new Messages('en').acceptLanguage()).toBe('en-US');
  });

  it('labels fields and falls back to the key', () => {
    expect(new Messages('ko').fieldLabel('state')).toBe('상태');
    expect(new Messages('en').fieldLabel('state')).toBe('State');
    expect(new Messages('en').fieldLabel('unknown_field')).toBe('unknown_field');
  });
});
