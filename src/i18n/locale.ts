export type Locale = 'ko' | 'en';

/**
 * Picks the message language from Accept-Language: Korean for a `ko*` first choice, English for
 * any other language, and the configured default when the header is absent or `*` (Node's fetch
 * sends `*` when the caller sets nothing).
 */
export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale): Locale {
  const first = header?.split(',')[0]?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (first === '' || first === '*') return fallback;
  return first.startsWith('ko') ? 'ko' : 'en';
}
