import { en } from './en.js';
import { checkEn, checkZh } from './messages/check.js';
import { cliEn, cliZh } from './messages/cli.js';
import { configEn, configZh } from './messages/config.js';
import { disablesEn, disablesZh } from './messages/disables.js';
import { helpEn, helpZh } from './messages/help.js';
import { peopleEn, peopleZh } from './messages/people.js';
import { listsEn, listsZh } from './messages/lists.js';
import { problemEn, problemZh } from './messages/problem.js';
import { quotaEn, quotaZh } from './messages/quota.js';
import { runEn, runZh } from './messages/run.js';
import { webEn, webZh } from './messages/web.js';
import { zhCN } from './zh-CN.js';

/**
 * The one message catalog: every word an operator reads (the console, the CLI, the
 * notifications, the admin API's errors) comes from here, in zh-CN by default or in English.
 * Log lines (pino) are not operator text: they stay English, for engineers and log search.
 * What is stored (reports, check results, config problems) is `{code, params}`, worded here at
 * display time in the reader's language.
 */

/** The locales of the one message catalog; zh-CN is the default. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** The catalog by area: the core (console, CLI, notifications, demo) and the coded messages. */
export const AREAS = {
  core: { 'zh-CN': zhCN, en },
  check: { 'zh-CN': checkZh, en: checkEn },
  cli: { 'zh-CN': cliZh, en: cliEn },
  config: { 'zh-CN': configZh, en: configEn },
  disables: { 'zh-CN': disablesZh, en: disablesEn },
  help: { 'zh-CN': helpZh, en: helpEn },
  people: { 'zh-CN': peopleZh, en: peopleEn },
  lists: { 'zh-CN': listsZh, en: listsEn },
  problem: { 'zh-CN': problemZh, en: problemEn },
  quota: { 'zh-CN': quotaZh, en: quotaEn },
  run: { 'zh-CN': runZh, en: runEn },
  web: { 'zh-CN': webZh, en: webEn },
} as const;

const ZH = {
  ...zhCN,
  ...checkZh,
  ...cliZh,
  ...configZh,
  ...disablesZh,
  ...helpZh,
  ...peopleZh,
  ...listsZh,
  ...problemZh,
  ...quotaZh,
  ...runZh,
  ...webZh,
};

export type MessageKey = keyof typeof ZH;
export type Messages = Readonly<Record<MessageKey, string>>;

const CATALOG: Readonly<Record<Locale, Messages>> = {
  'zh-CN': ZH,
  en: {
    ...en,
    ...checkEn,
    ...cliEn,
    ...configEn,
    ...disablesEn,
    ...helpEn,
    ...peopleEn,
    ...listsEn,
    ...problemEn,
    ...quotaEn,
    ...runEn,
    ...webEn,
  },
};

/** Values of a message's `{name}` placeholders: stored beside a code, worded at display time. */
export type Params = Readonly<Record<string, string | number>>;

export type Translate = (key: MessageKey, vars?: Params) => string;

/** A locale from a cookie, a query or a header value, else undefined. */
export function parseLocale(value: string | undefined): Locale | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v.startsWith('zh-')) return 'zh-CN';
  return undefined;
}

/** Whether `key` is in the catalog (codes from stored data may be newer or older than it). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(ZH, key);
}

/** `t(key, {name})` for one locale; `{name}` placeholders are replaced, unknown ones kept. */
export function translator(locale: Locale): Translate {
  const messages = CATALOG[locale];
  return (key, vars) => {
    const text = messages[key];
    if (vars === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}
