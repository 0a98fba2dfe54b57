import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from '../src/i18n/locale.js';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['ko-KR', 'ko'],
    ['ko', 'ko'],
    ['KO-kr,en;q=0.5', 'ko'],
    ['en-US', 'en'],
    ['ja-JP', 'en'],
    ['en-US,ko;q=0.9', 'en'],
  ])('maps %s to %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header, 'ko')).toBe(locale);
  });

  it.each([undefined, '', '*', ' * '])('uses the default for %j', (header) => {
    expect(localeFromAcceptLanguage(header, 'ko')).toBe('ko');
    expect(localeFromAcceptLanguage(header, 'en')).toBe('en');
  });
});
