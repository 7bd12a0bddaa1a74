import type { RunStatus } from '../../report/types.js';
import type { Page, RunSummary } from '../console-data.js';
import { html, type Html } from '../html.js';
import { localTime } from '../../i18n/time.js';
import type { PageContext } from './layout.js';
import { pager } from './pager.js';
import { countsLine, statusText, triggerText } from './report-view.js';

const FILTERS: readonly RunStatus[] = [
  'succeeded',
  'succeeded_with_errors',
  'failed',
  'held',
  'rejected',
  'superseded',
];

/** A profile's runs, paged, with a status filter. */
export function runsPage(
  ctx: PageContext,
  profileId: string,
  timeZone: string,
  page: Page<RunSummary>,
  status: readonly RunStatus[],
): Html {
  const { t, locale } = ctx;
  const base = `/profiles/${encodeURIComponent(profileId)}/runs`;
  const current = status.join(',');
  const link = (s: string, p = 1) =>
    `${base}?${new URLSearchParams({ ...(s === '' ? {} : { status: s }), page: String(p) }).toString()}`;
  return html`<h1>${t('runs.title')} · ${profileId}</h1>
    <nav class="filters">
      ${t('runs.filter')}:
      <a class="${current === '' ? 'on' : ''}" href="${link('')}">${t('runs.all')}</a>
      ${FILTERS.map((s) => html`<a class="${current === s ? 'on' : ''}" href="${link(s)}">${t(`status.${s}`)}</a> `)}
    </nav>
    ${
      page.total === 0
        ? html`<p>${t('runs.empty')}</p>`
        : html`<div class="scroll">
            <table class="runs">
              <tbody>
                ${page.items.map(
                  (r) =>
                    html`<tr>
                      <td><a href="/runs/${encodeURIComponent(r.runId)}">${r.runId}</a></td>
                      <td>${localTime(r.startedAt, timeZone, locale)}</td>
                      <td>${triggerText(t, r.trigger)}${r.dryRun ? html` · ${t('dryRun')}` : ''}</td>
                      <td class="status status-${r.status}">${statusText(t, r)}</td>
                      <td>${countsLine(t, r)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${pager(t, page, (p) => link(current, p))}`;
}
