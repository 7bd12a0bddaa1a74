import type { Translate } from '../../i18n/catalog.js';
import type { Page } from '../console-data.js';
import { html, type Html } from '../html.js';

/** Previous / next links and "page N, M in all". */
export function pager<T>(t: Translate, page: Page<T>, href: (page: number) => string): Html {
  const last = Math.max(1, Math.ceil(page.total / page.pageSize));
  return html`<nav class="pager">
    ${page.page > 1 ? html`<a rel="prev" href="${href(page.page - 1)}">${t('pager.prev')}</a>` : ''}
    <span>${t('pager.info', { page: page.page, total: page.total })}</span>
    ${page.page < last ? html`<a rel="next" href="${href(page.page + 1)}">${t('pager.next')}</a>` : ''}
  </nav>`;
}
