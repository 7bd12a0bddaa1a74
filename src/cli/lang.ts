import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_LOCALE, parseLocale, translator, type Locale, type Translate } from '../i18n/catalog.js';
import { CliError, ExitCode } from '../process/exit-codes.js';

export interface CliLang {
  readonly locale: Locale;
  readonly t: Translate;
}

/** The CLI's language: `--lang`, else DTSYNC_LANG, else the config's `locale`, else zh-CN. */
export function cliLang(cmd: Command, config: Config | undefined): CliLang {
  const flag = cmd.optsWithGlobals<{ lang?: string }>().lang;
  const asked = flag ?? readEnv().DTSYNC_LANG;
  const parsed = parseLocale(asked);
  if (asked !== undefined && parsed === undefined)
    throw new CliError(`unknown language "${asked}": use zh-CN or en`, ExitCode.Usage);
  const locale = parsed ?? config?.locale ?? DEFAULT_LOCALE;
  return { locale, t: translator(locale) };
}
