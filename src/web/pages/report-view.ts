import type { MessageKey, Translate } from '../../i18n/catalog.js';
import type { RunSummary } from '../../report/summary.js';
import type { Person, Reentry, ReportWarning, RunStatus } from '../../report/types.js';
import { heldText, runErrorText, warningText } from '../../report/words.js';
import { html, type Html } from '../html.js';
import { localTime } from '../../i18n/time.js';
import type { PageContext } from './layout.js';

/**
 * How a run reads on the pages, from its summary: the one module that renders RunSummary. A run
 * stored by an older version reaches here already in the current shape (src/state/run-migration.ts).
 * Its lists (changes, held changes, failures) are src/web/pages/run-list-view.ts.
 */

/** Re-entered people the run page lists; the rest are counted. Safe to change. */
const REENTRIES_SHOWN = 200;

/** "Name (userid) · departments". */
export function personLabel(p: Person): string {
  const head = p.name === '' ? p.userid : `${p.name} (${p.userid})`;
  const deps = p.departments.filter((d) => d !== '');
  return deps.length > 0 ? `${head} · ${deps.join(', ')}` : head;
}

export function statusText(
  t: Translate,
  r: { readonly status: RunStatus; readonly held?: { readonly resolution?: { readonly action: string } } },
): string {
  if (r.status === 'held' && r.held?.resolution?.action === 'approved') return t('status.approved');
  return t(`status.${r.status}`);
}

export function triggerText(t: Translate, trigger: string): string {
  return trigger === 'manual' || trigger === 'schedule' || trigger === 'approval' || trigger === 'grace'
    ? t(`trigger.${trigger}`)
    : trigger;
}

/** Counts as the console words them; a dry run's are labelled planned. */
export function countsLine(t: Translate, r: Pick<RunSummary, 'counts' | 'dryRun' | 'planned'>): Html {
  const c = r.dryRun && r.planned !== undefined ? { ...r.counts, ...r.planned } : r.counts;
  const items: [MessageKey, number][] = [
    ['counts.created', c.created],
    ['counts.updated', c.updated],
    ['counts.disabled', c.disabled],
    ['counts.unchanged', c.unchanged],
    ['counts.reentered', c.reentered],
    ['counts.failed', c.failed],
    ['counts.membershipOnly', c.membershipOnly],
  ];
  return html`<span class="counts"
    >${r.dryRun ? html`<b>${t('counts.planned')}:</b> ` : ''}${items.map(
      ([k, n]) => html`<span class="count">${t(k)} <b>${n}</b></span> `,
    )}</span
  >`;
}

export function actorsBlock(t: Translate, r: Pick<RunSummary, 'actors' | 'trigger'>): Html {
  const a = r.actors ?? {};
  const rows: [MessageKey, string | undefined][] = [
    ['actors.startedBy', a.startedBy ?? (r.trigger === 'schedule' ? t('actors.scheduler') : undefined)],
    ['actors.approvedBy', a.approvedBy],
    ['actors.rejectedBy', a.rejectedBy],
  ];
  const shown = rows.filter(([, v]) => v !== undefined);
  if (shown.length === 0) return html``;
  return html`<p class="actors">
    <b>${t('run.actors')}:</b>
    ${shown.map(([k, v]) => html`<span>${t(k)} <span class="actor">${v}</span></span> `)}
  </p>`;
}

/** What a held run would do, counted, which limit it crossed, a link to its list, and the decision buttons. */
export function heldBlock(t: Translate, r: RunSummary, withButtons: boolean): Html {
  const h = r.held;
  const list = `/runs/${encodeURIComponent(r.runId)}?list=held#run-list`;
  return html`<div class="held" data-run="${r.runId}">
    <p>
      <a href="/runs/${encodeURIComponent(r.runId)}">${r.runId}</a> · ${t('held.reason')}:
      ${r.heldReason === undefined ? '' : heldText(r.heldReason, t)}
    </p>
    ${
      h === undefined
        ? ''
        : html`<p>${t('held.gate')}: ${t(`held.by.${h.by}`)}</p>
            <p class="held-counts">
              ${t('held.counts', { total: h.total, ...h.kinds })}
              ${h.notApproved > 0 && h.notApproved < h.total ? html` · ${t('held.notApprovedCount', { n: h.notApproved })}` : ''}
              · <a href="${list}">${t('held.list')}</a>
            </p>`
    }
    ${
      withButtons
        ? html`<p class="buttons">
            <button class="approve" data-action="approve" data-run="${r.runId}">${t('btn.approve')}</button>
            <button class="reject" data-action="reject" data-run="${r.runId}">${t('btn.reject')}</button>
          </p>`
        : ''
    }
  </div>`;
}

/** The status page's line on people back in scope: how many, and where the last run lists them. */
export function reentryCount(t: Translate, r: Pick<RunSummary, 'runId' | 'counts'> | null): Html {
  const n = r?.counts.reentered ?? 0;
  if (r === null || n === 0) return html`<p>${t('reentry.none')}</p>`;
  return html`<p class="reentries">
    <a href="/runs/${encodeURIComponent(r.runId)}#reentries">${t('reentry.count', { n })}</a>
  </p>`;
}

/** The run page's list of people back in scope, awaiting an admin to enable them. */
function reentryList(ctx: PageContext, r: RunSummary, list: readonly Reentry[], timeZone: string): Html {
  const { t, locale } = ctx;
  if (list.length === 0) return html``;
  const more = Math.max(r.counts.reentered, list.length) - Math.min(list.length, REENTRIES_SHOWN);
  return html`<section class="card" id="reentries">
    <h2>${t('reentry.title')}</h2>
    <ul class="people">
      ${list
        .slice(0, REENTRIES_SHOWN)
        .map(
          (p) =>
            html`<li>
              ${personLabel(p)}${p.since === '' ? '' : html` · ${localTime(p.since, timeZone, locale)}`}
            </li>`,
        )}
    </ul>
    ${more > 0 ? html`<p class="note">${t('reentry.more', { n: more })}</p>` : ''}
  </section>`;
}

/** What the run page shows above its lists. */
export interface RunHead {
  readonly run: RunSummary;
  readonly reentries: readonly Reentry[];
  readonly warnings: readonly ReportWarning[];
  readonly timeZone: string;
}

/** A run's facts, hold, re-entries and notes: everything of the run page but its lists. */
export function runHeadView(ctx: PageContext, h: RunHead): Html {
  const { t, locale } = ctx;
  const { run: r, timeZone } = h;
  return html`<h1>${t('run.title', { runId: r.runId })}</h1>
    <section class="card">
      <dl class="facts">
        <dt>${t('run.profile')}</dt>
        <dd>${r.profileId}</dd>
        <dt>${t('last.status')}</dt>
        <dd class="status status-${r.status}">
          ${statusText(t, r)}${r.dryRun ? html` · ${t('dryRun')}` : ''}
        </dd>
        <dt>${t('run.trigger')}</dt>
        <dd>${triggerText(t, r.trigger)}</dd>
        <dt>${t('run.started')}</dt>
        <dd>${localTime(r.startedAt, timeZone, locale)}</dd>
        <dt>${t('run.finished')}</dt>
        <dd>${localTime(r.finishedAt, timeZone, locale)}</dd>
        <dt>${t('run.source')}</dt>
        <dd>${t('run.sourceText', { users: r.source.users, departments: r.source.departments })}</dd>
        <dt>${t('last.counts')}</dt>
        <dd>${countsLine(t, r)}</dd>
      </dl>
      ${actorsBlock(t, r)}
      ${r.error === undefined ? '' : html`<p class="error"><b>${t('run.error')}:</b> ${runErrorText(r.error, t)} <code>${r.error.code}</code></p>`}
      ${
        h.warnings.length === 0
          ? ''
          : html`<details>
              <summary>${t('run.warnings')} (${h.warnings.length})</summary>
              <ul>
                ${h.warnings.map((w) => html`<li>${warningText(w, t)}</li>`)}
              </ul>
            </details>`
      }
    </section>
    ${
      r.held === undefined
        ? ''
        : html`<section class="card">
            <h2>${t('held.title')}</h2>
            ${heldBlock(t, r, r.status === 'held' && r.held.resolution === undefined)}
          </section>`
    }
    ${reentryList(ctx, r, h.reentries, timeZone)}`;
}
