import type { Locale } from './messages.js';

/**
 * Chooses the CLI's language: the `--lang` value when it is valid, else the first non-empty of
 * LC_ALL, LC_MESSAGES and LANG (the POSIX order), where `ko*` means Korean and anything else,
 * `C` and `POSIX` included, means English.
 */
export function chooseLocale(lang: string | undefined, env: NodeJS.ProcessEnv): Locale {
  if (lang === 'ko' || lang === 'en') return lang;
  const posixLocale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return posixLocale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * Finds the value of `--lang` in raw arguments, before commander parses them, because the help
 * text must be built in the right language. Stops at `--`, which ends the options.
 */
export function findLangArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return undefined;
    if (arg === '--lang') return argv[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}
