import { en } from './en.js';
import { zhCN } from './zh-CN.js';

/** The locales of the one message catalog; zh-CN is the default. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export type MessageKey = keyof typeof zhCN;
export type Messages = Readonly<Record<MessageKey, string>>;

const CATALOG: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

/** A locale from a cookie, a query or a header value, else undefined. */
export function parseLocale(value: string | undefined): Locale | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v.startsWith('zh-')) return 'zh-CN';
  return undefined;
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
