import type { Translate } from '../../i18n/catalog.js';
import { localTime } from '../../i18n/time.js';
import type { RunDepartments } from '../../report/departments.js';
import type { ListRow } from '../../report/list-rows.js';
import type { RunSummary } from '../../report/summary.js';
import type { ChangeType } from '../../report/types.js';
import { RUN_LISTS, type ListQuery, type RunListName } from '../../state/list-filter.js';
import type { ListPage } from '../../state/run-lists.js';
import { html, type Html } from '../html.js';
import type { PageContext } from './layout.js';
import { pager } from './pager.js';

/** The actions a list is filtered by, with their words. */
const CHANGE_ACTIONS: readonly ChangeType[] = [
  'create',
  'update',
  'adopt',
  'restore',
  'disable',
  'leaveGroups',
  'createGroup',
  'renameGroup',
];
const HELD_KINDS = ['disable', 'clearPhone', 'clearEmail'] as const;

/** Departments offered as the filter's suggestions; a larger organisation types them. Safe to change. */
const SUGGESTED_DEPARTMENTS = 300;

/** One list of the run page: which, the page shown, and what the tabs count. */
export interface ListView {
  readonly run: RunSummary;
  readonly list: RunListName;
  readonly query: ListQuery;
  readonly page: ListPage<ListRow>;
  readonly totals: Readonly<Record<RunListName, number>>;
  readonly departments: RunDepartments;
  readonly timeZone: string;
}

const title = (t: Translate, run: RunSummary, list: RunListName): string =>
  list === 'changes' ? t(run.dryRun ? 'list.plan' : 'list.changes') : t(`list.${list}`);

function actionOptions(t: Translate, list: RunListName): [string, string][] {
  return list === 'held'
    ? HELD_KINDS.map((k) => [k, t(`kind.${k}`)])
    : CHANGE_ACTIONS.map((a) => [a, t(`action.${a}`)]);
}

/** The filter's query string (without the page), for the pager, the tabs and the CSV link. */
function filterParams(v: ListView, extra: Record<string, string> = {}): URLSearchParams {
  const p = new URLSearchParams({ list: v.list });
  const q = v.query;
  if (q.q !== undefined && q.q !== '') p.set('q', q.q);
  if (q.action !== undefined && q.action !== '') p.set('action', q.action);
  if (q.department !== undefined && q.department !== '') p.set('department', q.department);
  for (const [k, value] of Object.entries(extra)) p.set(k, value);
  return p;
}

function filterForm(ctx: PageContext, v: ListView, base: string): Html {
  const { t } = ctx;
  const q = v.query;
  const suggest = v.departments.size > 0 && v.departments.size <= SUGGESTED_DEPARTMENTS;
  const unknownDept =
    q.department !== undefined &&
    q.department.trim() !== '' &&
    v.departments.matching(q.department) === undefined;
  return html`<form method="get" action="${base}#run-list" class="search list-filter">
      <input type="hidden" name="list" value="${v.list}" />
      <input
        type="search"
        name="q"
        value="${q.q ?? ''}"
        placeholder="${t('list.search')}"
        aria-label="${t('list.search')}"
      />
      <select name="action" aria-label="${t('list.action')}">
        <option value="">${t('list.action')}: ${t('list.all')}</option>
        ${actionOptions(t, v.list).map(
          ([value, words]) =>
            html`<option value="${value}" ${q.action === value ? html`selected` : ''}>${words}</option>`,
        )}
      </select>
      <input
        type="search"
        name="department"
        value="${q.department ?? ''}"
        placeholder="${t('list.department')}"
        aria-label="${t('list.department')}"
        ${suggest ? html`list="run-departments"` : ''}
      />
      ${
        suggest
          ? html`<datalist id="run-departments">
              ${v.departments.all().map((d) => html`<option value="${v.departments.label(d.id)}"></option>`)}
            </datalist>`
          : ''
      }
      <button type="submit">${t('list.apply')}</button>
    </form>
    ${unknownDept ? html`<p class="note warn">${t('list.unknownDepartment', { department: q.department ?? '' })}</p>` : ''}`;
}

function rowView(ctx: PageContext, r: ListRow, timeZone: string): Html {
  const { t, locale } = ctx;
  const ids = [r.dingtalkUserId, r.pdsUserId].filter((x, i, a) => x !== '' && a.indexOf(x) === i);
  return html`<tr class="${r.notApproved === true ? 'not-approved' : ''}">
    <td class="time">${localTime(r.at, timeZone, locale)}</td>
    <td>
      ${r.actionText}${r.notApproved === true ? html` <small class="warn">${t('list.notApproved')}</small>` : ''}
    </td>
    <td>${r.name === '' ? '' : html`<b>${r.name}</b> `}${ids.join(' · ')}</td>
    <td>${r.departments.join('; ')}</td>
    <td>${r.fields.map((f) => html`<div>${f.label}: ${f.before ?? '∅'} → ${f.after ?? '∅'}</div>`)}</td>
    <td>${r.reason?.text ?? ''}</td>
  </tr>`;
}

/** The run page's lists: tabs (change log, held changes, failures), a filter, one page, the CSV link. */
export function runListView(ctx: PageContext, v: ListView): Html {
  const { t } = ctx;
  const base = `/runs/${encodeURIComponent(v.run.runId)}`;
  const csv = `/api/runs/${encodeURIComponent(v.run.runId)}/${v.list}?${filterParams(v, { format: 'csv' }).toString()}`;
  const tabs = RUN_LISTS.filter((l) => l !== 'held' || v.run.held !== undefined || v.totals.held > 0);
  return html`<section id="run-list" class="card" data-list="${v.list}">
    <nav class="filters tabs">
      ${tabs.map(
        (l) =>
          html`<a class="${l === v.list ? 'on' : ''}" data-list="${l}" href="${base}?list=${l}#run-list"
            >${title(t, v.run, l)} (${v.totals[l]})</a
          >`,
      )}
    </nav>
    <h2>${title(t, v.run, v.list)}</h2>
    ${filterForm(ctx, v, base)}
    <p class="buttons">
      <a class="csv" href="${csv}" download>${t('list.csv')}</a>
      ${
        filterParams(v).toString() === `list=${v.list}`
          ? ''
          : html`<a class="clear" href="${base}?list=${v.list}#run-list">${t('list.clear')}</a>`
      }
    </p>
    ${
      v.page.items.length === 0
        ? html`<p class="empty">${t('list.empty')}</p>`
        : html`<div class="scroll">
            <table class="list ${v.list}">
              <thead>
                <tr>
                  <th>${t('list.time')}</th>
                  <th>${t('run.action')}</th>
                  <th>${t('list.who')}</th>
                  <th>${t('list.departments')}</th>
                  <th>${t('list.fields')}</th>
                  <th>${t('list.reason')}</th>
                </tr>
              </thead>
              <tbody>
                ${v.page.items.map((r) => rowView(ctx, r, v.timeZone))}
              </tbody>
            </table>
          </div>`
    }
    ${pager(t, v.page, (p) => `${base}?${filterParams(v, { page: String(p) }).toString()}#run-list`)}
  </section>`;
}
