import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import type { Config } from '../config/schema.js';
import {
  DEFAULT_LOCALE,
  parseLocale,
  translator,
  type Locale,
  type MessageKey,
  type Params,
  type Translate,
} from '../i18n/catalog.js';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-code.js';

export interface CliLang {
  readonly locale: Locale;
  readonly t: Translate;
}

/** The CLI's language: `--lang`, else DTSYNC_LANG, else the config's `locale`, else zh-CN. */
export function cliLang(cmd: Command, config: Config | undefined): CliLang {
  const flag = cmd.optsWithGlobals<{ lang?: string }>().lang;
  const asked = flag ?? readEnv().DTSYNC_LANG;
  const parsed = parseLocale(asked);
  const locale = parsed ?? config?.locale ?? DEFAULT_LOCALE;
  const lang = { locale, t: translator(locale) };
  if (asked !== undefined && parsed === undefined)
    throw cliError(lang, ExitCode.Usage, 'unknown_language', 'cli.unknownLanguage', { lang: asked });
  return lang;
}

/** An error that ends the command with `exitCode`, worded in the operator's language, with a stable code. */
export function cliError(
  lang: CliLang,
  exitCode: ExitCode,
  code: string,
  key: MessageKey,
  params?: Params,
): CliError {
  return new CliError(lang.t(key, params), exitCode, code, lang.locale);
}

/** `--lang x` or `--lang=x` in argv. */
function langFlag(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--lang');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
}

/**
 * The language of an error met before a command knew its own (a config that does not load):
 * `--lang`, else DTSYNC_LANG, else the locale the config file asks for, else zh-CN.
 */
export function errorLocale(argv: readonly string[], fileLocale: Locale | undefined): Locale {
  return parseLocale(langFlag(argv)) ?? parseLocale(readEnv().DTSYNC_LANG) ?? fileLocale ?? DEFAULT_LOCALE;
}
