import { localTime } from '../../i18n/time.js';
import { MAX_HITS } from '../../people/lookup.js';
import type { LinkView, PersonCard, PersonEvent, PersonPage } from '../../people/types.js';
import { accountStatus, disabledText, eventChanges, eventResult } from '../../people/words.js';
import { actionText } from '../../report/words.js';
import { html, type Html } from '../html.js';
import type { PeopleSearch } from '../people-data.js';
import type { PageContext } from './layout.js';

const personHref = (profileId: string, pdsUserId: string) =>
  `/people/${encodeURIComponent(pdsUserId)}?${new URLSearchParams({ profile: profileId }).toString()}`;

/** The search form and, for a query, who it finds. */
export function peopleSearchView(ctx: PageContext, s: PeopleSearch, multiProfile: boolean): Html {
  const { t } = ctx;
  const results =
    s.q.trim() === ''
      ? html`<p>${t('people.search.hint')}</p>`
      : s.hits.length === 0
        ? html`<p class="none">${t('people.search.none', { q: s.q })}</p>`
        : html`<div class="scroll">
              <table class="people-hits">
                <thead>
                  <tr>
                    <th>${t('people.col.name')}</th>
                    <th>${t('people.col.userid')}</th>
                    <th>${t('people.col.pdsUserId')}</th>
                    <th>${t('people.col.departments')}</th>
                    <th>${t('people.col.status')}</th>
                    ${multiProfile ? html`<th>${t('people.col.profile')}</th>` : ''}
                  </tr>
                </thead>
                <tbody>
                  ${s.hits.map(
                    (h) =>
                      html`<tr>
                        <td><a href="${personHref(h.profileId, h.pdsUserId)}">${h.name}</a></td>
                        <td>${h.userid}</td>
                        <td>${h.pdsUserId}</td>
                        <td>${h.departments.join('、')}</td>
                        <td>${accountStatus(h.status, t)}</td>
                        ${multiProfile ? html`<td>${h.profileId}</td>` : ''}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${s.more ? html`<p class="note">${t('people.search.more', { n: MAX_HITS })}</p>` : ''}`;
  return html`<h1>${t('people.title')}</h1>
    <form class="search" method="get" action="/people">
      <input
        type="search"
        name="q"
        value="${s.q}"
        aria-label="${t('people.search.label')}"
        placeholder="${t('people.search.label')}"
      />
      <button type="submit">${t('people.search.button')}</button>
    </form>
    ${results}`;
}

const fact = (label: string, value: Html | string) =>
  html`<dt>${label}</dt>
    <dd>${value}</dd>`;

function dingtalkBlock(ctx: PageContext, c: PersonCard, time: (iso: string) => string): Html {
  const { t } = ctx;
  const at = time(c.at);
  const d = c.dingtalk;
  if (d === undefined)
    return html`<section class="card dingtalk">
      <p>${t('person.dingtalk.absent', { runId: c.runId, at })}</p>
    </section>`;
  const field = (v: string | undefined, access: 'authorised' | 'not_authorised') =>
    access === 'not_authorised' ? t('person.field.notAuthorised') : (v ?? t('person.field.empty'));
  return html`<section class="card dingtalk">
    <h2>${t('person.dingtalk', { runId: c.runId, at })}</h2>
    <dl class="facts">
      ${fact(t('people.col.name'), d.name)} ${fact(t('people.col.userid'), c.userid)}
      ${fact(t('person.field.departments'), d.departments.map((x) => `${x.name} (${x.id})`).join('、'))}
      ${fact(t('person.field.mobile'), field(d.mobile, d.access.mobile))}
      ${fact(t('person.field.email'), field(d.email, d.access.email))}
      ${fact(t('person.field.orgEmail'), field(d.orgEmail, d.access.orgEmail))}
    </dl>
  </section>`;
}

const linksText = (links: readonly LinkView[]) => links.map((l) => `${l.type}: ${l.identity}`).join('、');

function accountBlock(ctx: PageContext, p: PersonPage, time: (iso: string) => string): Html {
  const { t } = ctx;
  const a = p.card.pds;
  const disabled = disabledText(a, t, time);
  return html`<section class="card account">
    <h2>${t('person.pds')}</h2>
    ${
      a.exists
        ? html`<dl class="facts">
            ${fact(t('people.col.pdsUserId'), p.card.pdsUserId)}
            ${fact(t('person.pds.status'), html`<span class="account-${a.status ?? ''}">${accountStatus(a.status, t)}</span>`)}
            ${disabled === undefined ? '' : fact(t('person.pds.disabled'), disabled)}
            ${fact(t('person.pds.nickName'), a.nickName ?? '')}
            ${fact(t('person.pds.groups'), a.groups.join('、'))}
            ${fact(t('person.pds.links'), a.links === undefined ? t('person.pds.linksUnknown') : linksText(a.links))}
          </dl>`
        : html`<p class="warn">${t('person.pds.missing')}</p>`
    }
    ${
      p.reentrySince === undefined
        ? ''
        : html`<p class="banner warn reentry">${t('person.reentry', { since: time(p.reentrySince) })}</p>`
    }
  </section>`;
}

function eventRow(ctx: PageContext, e: PersonEvent, time: (iso: string) => string): Html {
  const { t } = ctx;
  return html`<tr class="${e.failure === undefined ? '' : 'failed'}">
    <td><a href="/runs/${encodeURIComponent(e.runId)}">${e.runId}</a></td>
    <td>${time(e.at)}</td>
    <td>${actionText(e.action, t)}</td>
    <td>${eventChanges(e, t)}</td>
    <td>${eventResult(e, t)}</td>
  </tr>`;
}

/** One person: DingTalk's view, the PDS account, and what the kept runs did to them. */
export function personView(ctx: PageContext, p: PersonPage, timeZone: string): Html {
  const { t } = ctx;
  const time = (iso: string) => localTime(iso, timeZone, ctx.locale);
  return html`<h1>${p.card.name} · ${p.card.pdsUserId}</h1>
    <p><a href="/people">${t('people.title')}</a> · ${p.profileId}</p>
    ${dingtalkBlock(ctx, p.card, time)} ${accountBlock(ctx, p, time)}
    <section class="card history">
      <h2>${t('person.history')}</h2>
      ${
        p.events.length === 0
          ? html`<p>${t('person.history.empty')}</p>`
          : html`<div class="scroll">
              <table class="person-history">
                <thead>
                  <tr>
                    <th>${t('person.col.run')}</th>
                    <th>${t('person.col.time')}</th>
                    <th>${t('person.col.action')}</th>
                    <th>${t('person.col.change')}</th>
                    <th>${t('person.col.result')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${p.events.map((e) => eventRow(ctx, e, time))}
                </tbody>
              </table>
            </div>`
      }
    </section>`;
}
