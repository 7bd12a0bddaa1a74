/**
 * A run's page (导入结果): header, planned vs applied counts, held changes, re-entries, warnings,
 * failures and changes. One file over 250 lines because the sections share one layout and one
 * pager, and read best in the order the page shows them.
 */
import type { MessageKey, Translate } from '../../i18n/catalog.js';
import type { RunChange, RunFailure, RunReport } from '../../report/types.js';
import { actionText, failureText, heldText, runErrorText, warningText } from '../../report/words.js';
import type { Page } from '../console-data.js';
import { html, type Html } from '../html.js';
import { localTime } from './format.js';
import type { PageContext } from './layout.js';
import { pager } from './pager.js';

/**
 * How a run report reads on the pages: the one module that renders RunReport, so fields the
 * report gains (planned counts, named people, the re-entry list) are added here. Every field
 * beyond those of today is read defensively: an older report lacks them.
 */

type Loose = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** "Name (userid) · departments" from whatever a record carries about a person. */
export function personLabel(x: unknown): string {
  if (typeof x !== 'object' || x === null) return '';
  // held changes and failures carry the person beside their ids
  const own = x as Loose;
  const r: Loose =
    typeof own.person === 'object' && own.person !== null ? { ...own, ...(own.person as Loose) } : own;
  const name = str(r.name);
  const userid = str(r.userid) ?? str(r.dingtalkUserId);
  const pds = str(r.pdsUserId);
  const deps = Array.isArray(r.departments)
    ? r.departments.map((d) =>
        typeof d === 'object' && d !== null ? (str((d as Loose).name) ?? '') : String(d),
      )
    : [];
  const id = userid ?? pds ?? '';
  const head = name === undefined ? id : `${name} (${id})`;
  return deps.length > 0 ? `${head} · ${deps.filter((d) => d !== '').join(', ')}` : head;
}

export function statusText(t: Translate, r: Pick<RunReport, 'status' | 'held'>): string {
  if (r.status === 'held' && r.held?.resolution?.action === 'approved') return t('status.approved');
  return t(`status.${r.status}` as MessageKey);
}

export function triggerText(t: Translate, trigger: string): string {
  return trigger === 'manual' || trigger === 'schedule' || trigger === 'approval'
    ? t(`trigger.${trigger}`)
    : trigger;
}

/** Counts as the console words them; a dry run's are labelled planned. */
export function countsLine(t: Translate, r: Pick<RunReport, 'counts' | 'dryRun'> & Loose): Html {
  const planned = (r.plannedCounts ?? r.planned) as Partial<RunReport['counts']> | undefined;
  const c = r.dryRun && planned !== undefined ? { ...r.counts, ...planned } : r.counts;
  const items: [MessageKey, number | undefined][] = [
    ['counts.created', c.created],
    ['counts.updated', c.updated],
    ['counts.disabled', c.disabled],
    ['counts.unchanged', c.unchanged],
    ['counts.reentered', c.reentered],
    ['counts.failed', c.failed],
    ['counts.membershipOnly', (c as unknown as Loose).membershipOnly as number | undefined],
  ];
  return html`<span class="counts"
    >${r.dryRun ? html`<b>${t('counts.planned')}:</b> ` : ''}${items
      .filter(([, n]) => typeof n === 'number')
      .map(([k, n]) => html`<span class="count">${t(k)} <b>${n}</b></span> `)}</span
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
        ${changes.map((c) => html`<li>${t(`kind.${c.kind}`)}: ${personLabel(c)}</li>`)}
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
  r: RunReport | null,
  timeZone: string,
  locale: PageContext['locale'],
): Html {
  const list =
    r === null ? undefined : ((r as unknown as Loose).reentries ?? (r as unknown as Loose).reentered);
  if (Array.isArray(list) && list.length > 0) {
    return html`<ul class="people">
      ${list.map((p) => {
        const at =
          typeof p === 'object' && p !== null
            ? str((p as Loose).since ?? (p as Loose).at ?? (p as Loose).reenteredAt)
            : undefined;
        return html`<li>
          ${personLabel(p)}${at === undefined ? '' : html` · ${localTime(at, timeZone, locale)}`}
        </li>`;
      })}
    </ul>`;
  }
  const n = r?.counts.reentered ?? 0;
  return html`<p>${n > 0 ? t('reentry.count', { n }) : t('reentry.none')}</p>`;
}

function failureRow(t: Translate, f: RunFailure): Html {
  const record = f.pdsUserId ?? f.dingtalkUserId ?? '';

  return html`<tr>
    <td>${personLabel(f)}</td>
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
    c.dingtalkUserId !== undefined || c.pdsUserId !== undefined ? personLabel(c) : (c.groupId ?? '');
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
        <dd>${countsLine(t, r as RunReport & Loose)}</dd>
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
