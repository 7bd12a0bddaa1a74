import type { Locale, Translate } from '../../i18n/catalog.js';
import { html, type Html } from '../html.js';

export interface PageContext {
  readonly locale: Locale;
  readonly t: Translate;
  /** The path of this page, for the language toggle. */
  readonly path: string;
}

/** The shell of every page: no inline script (the CSP allows only /assets/console.js). */
export function layout(ctx: PageContext, title: string, body: Html): Html {
  const { t } = ctx;
  const other = ctx.locale === 'en' ? 'zh-CN' : 'en';
  const sep = ctx.path.includes('?') ? '&' : '?';
  return html`<!doctype html>
    <html lang="${ctx.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t('app.title')}</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script defer src="/assets/console.js"></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">${t('app.title')}</a>
          <nav>
            <a href="/">${t('nav.console')}</a>
            <a href="/people">${t('nav.people')}</a>
            <a href="/admin/queues">${t('nav.dashboard')}</a>
            <a id="lang-toggle" href="${ctx.path}${sep}lang=${other}">${t('lang.other')}</a>
          </nav>
        </header>
        <main>${body}</main>
      </body>
    </html>`;
}
