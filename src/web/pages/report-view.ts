/**
 * A run's page (导入结果): header, planned vs applied counts, held changes, re-entries, warnings,
 * failures and changes. One file over 250 lines because the sections share one layout and one
 * pager, and read best in the order the page shows them.
 */
import type { MessageKey, Translate } from '../../i18n/catalog.js';
import type { Person, RunChange, RunFailure, RunReport } from '../../report/types.js';
import { actionText, failureText, heldText, runErrorText, warningText } from '../../report/words.js';
import type { Page } from '../console-data.js';
import { html, type Html } from '../html.js';
import { localTime } from '../../i18n/time.js';
import type { PageContext } from './layout.js';
import { pager } from './pager.js';

/**
 * How a run report reads on the pages: the one module that renders RunReport. A report stored
 * by an older version reaches here already in the current shape (src/state/schemas-v1.ts).
 */

/** Who a record is about, by its ids, and the person when the report names them. */
interface RecordIds {
  readonly userid?: string;
  readonly dingtalkUserId?: string | undefined;
  readonly pdsUserId?: string | undefined;
}

/** "Name (userid) · departments", or the record's id when the report does not name the person. */
export function personLabel(ids: RecordIds, person: Person | undefined): string {
  const id = person?.userid ?? ids.userid ?? ids.dingtalkUserId ?? ids.pdsUserId ?? '';
  const head = person === undefined || person.name === '' ? id : `${person.name} (${id})`;
  const deps = person?.departments.filter((d) => d !== '') ?? [];
  return deps.length > 0 ? `${head} · ${deps.join(', ')}` : head;
}

export function statusText(t: Translate, r: Pick<RunReport, 'status' | 'held'>): string {
  if (r.status === 'held' && r.held?.resolution?.action === 'approved') return t('status.approved');
  return t(`status.${r.status}`);
}

export function triggerText(t: Translate, trigger: string): string {
  return trigger === 'manual' || trigger === 'schedule' || trigger === 'approval' || trigger === 'grace'
    ? t(`trigger.${trigger}`)
    : trigger;
}

/** Counts as the console words them; a dry run's are labelled planned. */
export function countsLine(t: Translate, r: Pick<RunReport, 'counts' | 'dryRun' | 'planned'>): Html {
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

export function actorsBlock(t: Translate, r: RunReport): Html {
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

/** What a held run would do, every person named, which limit it crossed, and the decision buttons. */
export function heldBlock(t: Translate, r: RunReport, withButtons: boolean): Html {
  const h = r.held;
  const changes = h?.changes ?? [];
  return html`<div class="held" data-run="${r.runId}">
    <p>
      <a href="/runs/${encodeURIComponent(r.runId)}">${r.runId}</a> · ${t('held.reason')}:
      ${r.heldReason === undefined ? '' : heldText(r.heldReason, t)}
    </p>
    ${h === undefined ? '' : html`<p>${t('held.gate')}: ${t(`held.by.${h.by}`)}</p>`}
    <details open>
      <summary>${t('held.changes')} (${changes.length})</summary>
      <ul class="people">
        ${changes.map((c) => html`<li>${t(`kind.${c.kind}`)}: ${personLabel(c, c.person)}</li>`)}
      </ul>
    </details>
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

/** The people back in scope awaiting an admin to enable them (listed when the report names them). */
export function reentryBlock(
  t: Translate,
  r: Pick<RunReport, 'reentries' | 'counts'> | null,
  timeZone: string,
  locale: PageContext['locale'],
): Html {
  const list = r?.reentries ?? [];
  if (list.length > 0) {
    return html`<ul class="people">
      ${list.map(
        (p) =>
          html`<li>
            ${personLabel(p, p)}${p.since === '' ? '' : html` · ${localTime(p.since, timeZone, locale)}`}
          </li>`,
      )}
    </ul>`;
  }
  const n = r?.counts.reentered ?? 0;
  return html`<p>${n > 0 ? t('reentry.count', { n }) : t('reentry.none')}</p>`;
}

function failureRow(t: Translate, f: RunFailure): Html {
  const record = f.pdsUserId ?? f.dingtalkUserId ?? '';

  return html`<tr>
    <td>${personLabel(f, f.person)}</td>
    <td>${record}</td>
    <td>${actionText(f.action, t)}</td>
    <td>${failureText(f, t)} <code>${f.code}</code></td>
  </tr>`;
}

/** 导入结果: every failure, searchable and paged. */
export function failuresSection(ctx: PageContext, r: RunReport, page: Page<RunFailure>, q: string): Html {
  const { t } = ctx;
  const base = `/runs/${encodeURIComponent(r.runId)}`;
  return html`<section id="import-result">
    <h2>${t('run.importResult')}</h2>
    <form method="get" action="${base}" class="search">
      <input type="search" name="q" value="${q}" placeholder="${t('run.search')}" /><button type="submit">
        ${t('run.search')}
      </button>
    </form>
    ${
      page.total === 0
        ? html`<p>${t('run.noFailures')}</p>`
        : html`<div class="scroll">
            <table class="failures">
              <thead>
                <tr>
                  <th>${t('run.user')}</th>
                  <th>${t('run.record')}</th>
                  <th>${t('run.action')}</th>
                  <th>${t('run.failureReason')}</th>
                </tr>
              </thead>
              <tbody>
                ${page.items.map((f) => failureRow(t, f))}
              </tbody>
            </table>
          </div>`
    }
    ${pager(t, page, (p) => `${base}?${new URLSearchParams({ q, page: String(p) }).toString()}#import-result`)}
  </section>`;
}

function changeRow(t: Translate, c: RunChange): Html {
  const fields = Object.entries(c.fields ?? {}).map(
    ([k, [from, to]]) => `${k}: ${from ?? '∅'} → ${to ?? '∅'}`,
  );
  // a group change names its department or group in its action; the group a create made is its subject
  const who =
    c.dingtalkUserId !== undefined || c.pdsUserId !== undefined
      ? personLabel(c, undefined)
      : (c.groupId ?? '');
  return html`<tr>
    <td>${actionText(c.action, t)}</td>
    <td>${who}</td>
    <td>${fields.join('; ')}</td>
  </tr>`;
}

export function changesSection(t: Translate, r: RunReport): Html {
  const title = r.dryRun ? t('run.plannedChanges') : t('run.changeLog');
  return html`<section id="changes">
    <h2>${title}</h2>
    ${
      r.changes.length === 0
        ? html`<p>-</p>`
        : html`<div class="scroll">
            <table>
              <tbody>
                ${r.changes.map((c) => changeRow(t, c))}
              </tbody>
            </table>
          </div>`
    }
    ${r.changesTruncated ? html`<p class="note">${t('run.changesTruncated', { n: r.changes.length })}</p>` : ''}
  </section>`;
}

/** The whole report of one run. */
export function runReportView(
  ctx: PageContext,
  r: RunReport,
  failures: Page<RunFailure>,
  q: string,
  timeZone: string,
): Html {
  const { t, locale } = ctx;
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
        r.warnings.length === 0
          ? ''
          : html`<details>
              <summary>${t('run.warnings')} (${r.warnings.length})</summary>
              <ul>
                ${r.warnings.map((w) => html`<li>${warningText(w, t)}</li>`)}
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
    ${failuresSection(ctx, r, failures, q)} ${changesSection(t, r)}`;
}
