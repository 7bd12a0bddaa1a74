import type { FastifyRequest } from 'fastify';
import { parseLocale, translator, type Locale, type Translate } from '../i18n/catalog.js';

/** The cookie the console's language switch sets (`?lang=` on a page). */
export const LANG_COOKIE = 'lang';

/**
 * A request's language: the console's language cookie, else the config's `locale`. The pages,
 * the admin API's answers and its errors all use it, so one browser reads one language.
 */
export function requestLocale(req: FastifyRequest, configLocale: Locale): Locale {
  // cookies are parsed inside the secured scope only: elsewhere (health, 404s) the config decides
  const cookies = (req as { cookies?: Record<string, string | undefined> }).cookies;
  return parseLocale(cookies?.[LANG_COOKIE]) ?? configLocale;
}

export const requestT = (req: FastifyRequest, configLocale: Locale): Translate =>
  translator(requestLocale(req, configLocale));
