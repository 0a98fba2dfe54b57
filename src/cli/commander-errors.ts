import type { MessageKey, Messages } from './messages.js';

/** Commander's English usage errors, matched on their first line, with the catalogue key. */
const PATTERNS: readonly [RegExp, MessageKey][] = [
  [/^error: unknown option '(.*)'$/, 'commander.unknownOption'],
  [/^error: unknown command '(.*)'$/, 'commander.unknownCommand'],
  [/^error: missing required argument '(.*)'$/, 'commander.missingArgument'],
  [/^error: option '(.*)' argument missing$/, 'commander.optionMissingArgument'],
  [/^error: required option '(.*)' not specified$/, 'commander.missingMandatoryOptionValue'],
];

const EXCESS_ARGUMENTS = /^error: too many arguments.*Expected (\d+) arguments? but got (\d+)\.$/;
const SUGGESTION = /^\(Did you mean (?:one of )?(.*)\?\)$/;

/**
 * Translates a usage error that commander wrote in English (such as "error: unknown option
 * '--x'") into the user's language. Text that matches no known form keeps commander's wording
 * after a localized prefix.
 */
export function translateCommanderError(text: string, messages: Messages): string {
  const lines = text.trimEnd().split('\n');
  const translated = lines.map((line, index) =>
    index === 0 ? translateFirstLine(line, messages) : translateSuggestion(line, messages),
  );
  return `${translated.join('\n')}\n`;
}

function translateFirstLine(line: string, messages: Messages): string {
  const prefix = `${messages.t('error.prefix')}: `;
  for (const [pattern, key] of PATTERNS) {
    const match = pattern.exec(line);
    if (match) return prefix + messages.t(key, { 0: match[1] ?? '' });
  }
  const excess = EXCESS_ARGUMENTS.exec(line);
  if (excess) {
    const params = { expected: excess[1] ?? '', received: excess[2] ?? '' };
    return prefix + messages.t('commander.excessArguments', params);
  }
  return prefix + line.replace(/^error: /, '');
}

function translateSuggestion(line: string, messages: Messages): string {
  const match = SUGGESTION.exec(line);
  return match ? messages.t('commander.didYouMean', { 0: match[1] ?? '' }) : line;
}
