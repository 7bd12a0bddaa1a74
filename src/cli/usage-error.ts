import type { CommanderError } from 'commander';
import type { MessageKey, Translate } from '../i18n/catalog.js';

/** A usage error of commander in the operator's words, with a stable code for `--json`. */
export interface UsageError {
  readonly code: string;
  readonly message: string;
}

interface Form {
  readonly code: string;
  /** commander's English sentence; its named groups are the catalog message's placeholders. */
  readonly pattern: RegExp;
  readonly key: MessageKey;
}

/**
 * commander's usage errors by its error code. commander hands over its English sentence only,
 * so the tokens the operator typed are read back from its quotes; a test per form keeps these
 * patterns true to the installed commander.
 */
const FORMS: Readonly<Record<string, Form>> = {
  'commander.unknownOption': {
    code: 'usage.unknown_option',
    pattern: /^unknown option '(?<option>.*)'$/s,
    key: 'cli.usage.unknownOption',
  },
  'commander.unknownCommand': {
    code: 'usage.unknown_command',
    pattern: /^unknown command '(?<command>.*)'$/s,
    key: 'cli.usage.unknownCommand',
  },
  'commander.missingArgument': {
    code: 'usage.missing_argument',
    pattern: /^missing required argument '(?<argument>.*)'$/s,
    key: 'cli.usage.missingArgument',
  },
  'commander.optionMissingArgument': {
    code: 'usage.option_missing_argument',
    pattern: /^option '(?<option>.*)' argument missing$/s,
    key: 'cli.usage.optionMissingArgument',
  },
  'commander.excessArguments': {
    code: 'usage.excess_arguments',
    pattern:
      /^too many arguments for '(?<command>.*)'\. Expected (?<expected>\d+) arguments? but got (?<got>\d+)\.$/s,
    key: 'cli.usage.excessArguments',
  },
  'commander.invalidArgument': {
    code: 'usage.invalid_argument',
    pattern: /^option '(?<option>.*?)' argument '(?<value>.*?)' is invalid\. (?<reason>.*)$/s,
    key: 'cli.usage.invalidArgument',
  },
};

/** commander's "(Did you mean …?)" after an unknown option or command. */
const SUGGESTION = /\n\(Did you mean (?<oneOf>one of )?(?<suggestion>.+)\?\)$/s;

/**
 * A commander usage error worded from the catalog. A form commander may add later keeps its own
 * sentence under the plain code `usage` rather than lose what the operator got wrong.
 */
export function usageError(err: CommanderError, t: Translate): UsageError {
  const sentence = err.message.replace(/^error: /, '');
  const hint = SUGGESTION.exec(sentence)?.groups;
  const bare = hint === undefined ? sentence : sentence.replace(SUGGESTION, '');
  const form = FORMS[err.code];
  const groups = form?.pattern.exec(bare)?.groups;
  if (form === undefined || groups === undefined) return { code: 'usage', message: sentence };
  const line = t(form.key, { ...groups });
  if (hint === undefined) return { code: form.code, message: line };
  const key = hint.oneOf === undefined ? 'cli.usage.didYouMean' : 'cli.usage.didYouMeanOneOf';
  return { code: form.code, message: `${line}\n${t(key, { suggestion: hint.suggestion ?? '' })}` };
}
