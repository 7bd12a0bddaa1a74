import type { Translate } from '../../i18n/catalog.js';
import { html, type Html } from '../html.js';

/** What a pager reads of a page: where it is, and how many there are (when known) or whether more follow. */
export interface Paged {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number | undefined;
  readonly more?: boolean | undefined;
}

/** Previous / next links and "page N, M in all" (or "page N" while the total is unknown). */
export function pager(t: Translate, page: Paged, href: (page: number) => string): Html {
  const hasNext =
    page.total === undefined
      ? page.more === true
      : page.page < Math.max(1, Math.ceil(page.total / page.pageSize));
  return html`<nav class="pager">
    ${page.page > 1 ? html`<a rel="prev" href="${href(page.page - 1)}">${t('pager.prev')}</a>` : ''}
    <span
      >${
        page.total === undefined
          ? t('pager.page', { page: page.page })
          : t('pager.info', { page: page.page, total: page.total })
      }</span
    >
    ${hasNext ? html`<a rel="next" href="${href(page.page + 1)}">${t('pager.next')}</a>` : ''}
  </nav>`;
}
