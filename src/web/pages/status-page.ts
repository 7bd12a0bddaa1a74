import type { Locale, MessageKey, Translate } from '../../i18n/catalog.js';
import { PROFILE_STATES, type ProfileState, type StatePage } from '../../status/profile-states.js';
import { stateText } from '../../status/state-text.js';
import { jobStateText } from '../../queue/job-state.js';
import type { LiveRun, ProfileStatus, ProfileView } from '../console-data.js';
import { html, type Html } from '../html.js';
import { localTime } from '../../i18n/time.js';
import { pad2 } from './format.js';
import type { PageContext } from './layout.js';
import { pager } from './pager.js';
import { countsLine, heldBlock, reentryCount, statusText, triggerText } from './report-view.js';

/** Who is in grace and until when: gone from DingTalk unexplained, not disabled before then. */
function graceBlock(t: Translate, people: ProfileStatus['inGrace'], tz: string, locale: Locale): Html {
  if (people.length === 0) return html`<p>${t('grace.none')}</p>`;
  return html`<ul class="grace">
    ${people.map(
      (g) =>
        html`<li data-userid="${g.userid}">
          ${t('grace.person', { name: g.name, userid: g.userid, until: localTime(g.until, tz, locale) })}
        </li>`,
    )}
  </ul>`;
}

/** The catalog's weekday names, Sunday first as cron counts. */
const WEEKDAYS = [
  'weekday.0',
  'weekday.1',
  'weekday.2',
  'weekday.3',
  'weekday.4',
  'weekday.5',
  'weekday.6',
] as const;

function scheduleText(t: Translate, p: ProfileView): string {
  const s = p.schedule;
  if (s.mode !== 'auto' || s.hour === undefined || p.slotOffset === null) return t('schedule.manual');
  const { minute, second } = p.slotOffset;
  const time = `${pad2(s.hour)}:${pad2(minute)}${second === 0 ? '' : `:${pad2(second)}`}`;
  if (s.frequency === 'weekly')
    return t('schedule.weekly', { weekday: t(WEEKDAYS[s.weekday ?? 0] ?? 'weekday.0'), time });
  if (s.frequency === 'monthly')
    return t('schedule.monthly', {
      day: s.dayOfMonth === 'last' ? t('schedule.lastDay') : String(s.dayOfMonth ?? 1),
      time,
    });
  return t('schedule.daily', { time });
}

function configBlock(t: Translate, p: ProfileView): Html {
  const sc = p.scope;
  const scope =
    sc.mode === 'all'
      ? t('config.scopeAll')
      : t('config.scopeDepts', { ids: sc.departmentIds.join(', ') }) +
        (sc.includeSubDepartments ? t('config.withSub') : '');
  const yn = (b: boolean) => (b ? t('yes') : t('no'));
  const safety = p.safety;
  return html`<details class="config">
    <summary>${t('profile.config')}</summary>
    <dl class="facts">
      <dt>${t('config.scope')}</dt>
      <dd>${scope}</dd>
      <dt>${t('config.schedule')}</dt>
      <dd>${scheduleText(t, p)}</dd>
      <dt>${t('config.timezone')}</dt>
      <dd>${p.schedule.timezone}</dd>
      <dt>${t('config.syncPhone')}</dt>
      <dd>${yn(p.syncPhone)}</dd>
      <dt>${t('config.syncEmail')}</dt>
      <dd>${yn(p.syncEmail)} (${p.emailField})</dd>
      <dt>${t('config.safety')}</dt>
      <dd>
        ${t('config.safetyText', { count: safety.maxDisableCount, percent: safety.maxDisablePercent, drop: safety.maxSourceDropPercent })}
      </dd>
    </dl>
    <p class="note">${t('config.readOnly')}</p>
  </details>`;
}

export function liveText(t: Translate, run: LiveRun): string {
  const state = jobStateText(t, run.state);
  const p = run.progress;
  const phase = p === null ? '' : ` · ${t(`phase.${p.phase}`)}`;
  const counts = p?.done !== undefined && p.total !== undefined ? ` ${p.done}/${p.total}` : '';
  return `${run.runId} · ${triggerText(t, run.trigger)}${run.dryRun ? ` · ${t('dryRun')}` : ''} · ${state}${phase}${counts}`;
}

function profileCard(ctx: PageContext, s: ProfileStatus, state: ProfileState | undefined): Html {
  const { t, locale } = ctx;
  const p = s.profile;
  const tz = p.schedule.timezone;
  const last = s.lastSync;
  return html`<section class="card profile" data-profile="${p.id}">
    <h2>
      ${p.id}${state === undefined ? '' : html` <small class="state status-${state}">${stateText(t, state)}</small>`}${p.syncEnabled ? '' : html` <small class="warn">${t('profile.syncOff')}</small>`}
    </h2>
    ${configBlock(t, p)}
    <h3>${t('last.title')}</h3>
    ${
      last === null
        ? html`<p class="last">${t('last.never')}</p>`
        : html`<dl class="facts last">
            <dt>${t('last.time')}</dt>
            <dd>${localTime(last.finishedAt, tz, locale)}</dd>
            <dt>${t('last.status')}</dt>
            <dd class="status status-${last.status}">${statusText(t, last)}</dd>
            <dt>${t('last.counts')}</dt>
            <dd>
              ${countsLine(t, last)}
              <a class="details" href="/runs/${encodeURIComponent(last.runId)}">${t('details')}</a>
            </dd>
          </dl>`
    }
    <p>
      <b>${t('next.title')}:</b> ${s.nextRun === null ? t('next.none') : localTime(s.nextRun, tz, locale)}
    </p>
    <h3>${t('live.title')}</h3>
    <ul class="live" data-profile="${p.id}">
      ${s.live.length === 0 ? html`<li class="none">${t('live.none')}</li>` : s.live.map((r) => html`<li>${liveText(t, r)}</li>`)}
    </ul>
    <p class="buttons">
      <button data-action="sync" data-profile="${p.id}">${t('btn.syncNow')}</button>
      <button data-action="preview" data-profile="${p.id}">${t('btn.preview')}</button>
      <button data-action="check" data-profile="${p.id}">${t('btn.check')}</button>
      <a href="/profiles/${encodeURIComponent(p.id)}/runs">${t('nav.runs')}</a>
      <a href="/profiles/${encodeURIComponent(p.id)}/departments">${t('departments.link')}</a>
    </p>
    <p class="message" data-profile="${p.id}" role="status"></p>
    <div class="check-result" data-profile="${p.id}"></div>
    <h3>${t('held.title')}</h3>
    ${s.held.length === 0 ? html`<p>${t('held.none')}</p>` : s.held.map((r) => heldBlock(t, r, true))}
    <h3>${t('grace.title')}</h3>
    ${graceBlock(t, s.inGrace, tz, locale)}
    <h3>${t('reentry.title')}</h3>
    ${reentryCount(t, s.lastRun)}
    <h3>${t('alerts.title')}</h3>
    ${
      s.alerts.openIncidents.length === 0
        ? html`<p>${t('alerts.none')}</p>`
        : html`<ul class="alerts">
            ${s.alerts.openIncidents.map(
              (i) =>
                html`<li>
                  ${t(`notify.kind.${i.kind}`)} ·
                  ${t('alerts.since', { at: localTime(i.openedAt, tz, locale) })}
                </li>`,
            )}
          </ul>`
    }
    ${
      s.alerts.lastNotification === null
        ? ''
        : html`<p class="${s.alerts.lastNotification.failed ? 'warn' : ''}">
            ${t(s.alerts.lastNotification.failed ? 'alerts.lastFailed' : 'alerts.last', {
              at: localTime(s.alerts.lastNotification.at, tz, locale),
              kind: t(`notify.kind.${s.alerts.lastNotification.kind}`),
            })}
          </p>`
    }
  </section>`;
}

/** The words console.js needs after the page loaded (live phases, messages, check results). */
export function clientMessages(t: Translate): Record<string, string> {
  const keys: MessageKey[] = [
    'phase.source',
    'phase.target',
    'phase.plan',
    'phase.apply',
    'phase.done',
    'state.waiting',
    'state.active',
    'state.delayed',
    'state.prioritized',
    'trigger.manual',
    'trigger.schedule',
    'trigger.approval',
    'dryRun',
    'live.none',
    'msg.started',
    'msg.existing',
    'msg.failed',
    'check.running',
    'check.ok',
    'check.fail',
    'check.failedWith',
    'check.line',
    'check.lineFix',
  ];
  return Object.fromEntries(keys.map((k) => [k, t(k)]));
}

/** The profiles shown: one page of those in the chosen states. */
export interface ProfileList {
  readonly page: StatePage;
  readonly states: readonly ProfileState[];
  /** The page size asked for, kept in the links (undefined: the default). */
  readonly pageSize: number | undefined;
}

/** The filter by state (with each state's count) and the page links, all in the query string. */
function listNav(t: Translate, list: ProfileList): { filters: Html; pages: Html } {
  const current = list.states.join(',');
  const link = (status: string, page = 1) =>
    `/?${new URLSearchParams({
      ...(status === '' ? {} : { status }),
      ...(page === 1 ? {} : { page: String(page) }),
      ...(list.pageSize === undefined ? {} : { pageSize: String(list.pageSize) }),
    }).toString()}`.replace(/\?$/, '');
  const all = Object.values(list.page.counts).reduce((a, n) => a + n, 0);
  // rarely seen states are offered only when some profile is in them
  const offered = PROFILE_STATES.filter(
    (s) => (s !== 'rejected' && s !== 'superseded') || list.page.counts[s] > 0,
  );
  const filters = html`<nav class="filters" id="profile-filters">
    ${t('profiles.filter')}:
    <a class="${current === '' ? 'on' : ''}" href="${link('')}">${t('runs.all')} (${all})</a>
    ${offered.map(
      (s) =>
        html`<a class="${current === s ? 'on' : ''}" data-state="${s}" href="${link(s)}"
          >${stateText(t, s)} (${list.page.counts[s]})</a
        > `,
    )}
  </nav>`;
  return { filters, pages: pager(t, list.page, (page) => link(current, page)) };
}

export function statusPage(
  ctx: PageContext,
  statuses: readonly ProfileStatus[],
  workers: { count: number },
  list: ProfileList,
): Html {
  const { t } = ctx;
  const nav = listNav(t, list);
  // a deployment of one profile keeps its page as it was: no filter, no state beside its name
  const many = Object.values(list.page.counts).reduce((a, n) => a + n, 0) > 1;
  const stateOf = new Map(many ? list.page.items.map((r) => [r.id, r.state]) : []);
  return html`<div id="workers" class="${workers.count === 0 ? 'banner warn' : 'banner ok'}">
      ${workers.count === 0 ? t('workers.none') : t('workers.online', { n: workers.count })}
    </div>
    <div id="messages" hidden data-messages="${JSON.stringify(clientMessages(t))}"></div>
    ${many ? nav.filters : ''}
    ${list.page.total === 0 ? html`<p class="none">${t('profiles.empty')}</p>` : ''}
    ${list.page.total > list.page.pageSize ? nav.pages : ''}
    ${statuses.map((s) => profileCard(ctx, s, stateOf.get(s.profile.id)))}
    ${list.page.total > list.page.pageSize ? nav.pages : ''}`;
}
