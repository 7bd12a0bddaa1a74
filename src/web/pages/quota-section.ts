import { isNear, monthLines } from '../../quota/month-words.js';
import type { OrgMonth } from '../../quota/org-month.js';
import { html, type Html } from '../html.js';
import type { PageContext } from './layout.js';

/**
 * DingTalk's month per organisation, above the profiles: its calls even without a quota, and
 * with one its use, the projection and any 90020, marked when at the alert's 80 %.
 */
export function quotaSection(ctx: PageContext, months: readonly OrgMonth[]): Html {
  if (months.length === 0) return html``;
  const { t } = ctx;
  return html`<section class="card dingtalk-month" id="dingtalk-month">
    <h2>${t('quota.title')}</h2>
    ${months.map((m) => {
      const [head, ...rest] = monthLines(m, t);
      const warn = isNear(m) || Object.keys(m.refused).length > 0;
      return html`<p class="${warn ? 'warn' : ''}" data-org="${m.org}">
        <b>${head ?? ''}</b>${rest.map((line) => html`<br />${line}`)}
      </p>`;
    })}
  </section>`;
}
