import { readFileSync } from 'node:fs';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseLocale, translator, type Locale } from '../../i18n/catalog.js';
import type { RunSummary } from '../../report/summary.js';
import type { RunListName } from '../../state/list-filter.js';
import {
  peopleQuery,
  personParams,
  personQuery,
  profileParams,
  profilesQuery,
  runPageQuery,
  runParams,
  runsQuery,
} from '../api/schemas.js';
import { liveRunsByProfile, pageOfStates, profileStates } from '../../status/profile-states.js';
import { profileOf, profileStatus, runOf, runPage, workersOnline } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { departmentsOf, findPeople, personOf } from '../people-data.js';
import { departmentsView } from './departments-page.js';
import { peopleSearchView, personView } from './people-page.js';
import { LANG_COOKIE, requestLocale } from '../locale.js';
import type { Html } from '../html.js';
import { layout, type PageContext } from './layout.js';
import { listPage, runTimeZone } from '../run-lists.js';
import { runHeadView } from './report-view.js';
import { runListView } from './run-list-view.js';
import { runsPage } from './runs-page.js';
import { statusPage } from './status-page.js';
import { orgMonths } from '../../quota/org-month.js';
import { StateKeys } from '../../state/keys.js';
import { html } from '../html.js';
import { quotaSection } from './quota-section.js';

const asset = (name: string) => readFileSync(new URL(`../assets/${name}`, import.meta.url), 'utf8');
const langQuery = z.object({ lang: z.string().optional() }).loose();

/** The locale of a request: `?lang=` (remembered in a cookie), the cookie, else the config's. */
function contextOf(deps: WebDeps, req: FastifyRequest, reply: FastifyReply): PageContext {
  const asked = parseLocale(langQuery.parse(req.query ?? {}).lang);
  if (asked !== undefined) void reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax' });
  const locale: Locale = asked ?? requestLocale(req, deps.config.locale);
  const url = new URL(req.url, 'http://x');
  url.searchParams.delete('lang');
  return { locale, t: translator(locale), path: `${url.pathname}${url.search}` };
}

/** The list a run's page opens on: its hold while undecided, else its failures if any, else its changes. */
function firstList(run: RunSummary, totals: Readonly<Record<RunListName, number>>): RunListName {
  if (run.status === 'held' && run.held?.resolution === undefined && totals.held > 0) return 'held';
  return totals.failures > 0 ? 'failures' : 'changes';
}

function send(reply: FastifyReply, page: Html) {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);
}

/** Query without the language switch, for the zod schemas of the API. */
function withoutLang(query: unknown): Record<string, unknown> {
  const { lang: _l, ...rest } = (query ?? {}) as Record<string, unknown>;
  return rest;
}

/** The server-rendered console: status per profile, a run's report, and the run list. */
export function pagesPlugin(deps: WebDeps): FastifyPluginCallback {
  const js = asset('console.js');
  const css = asset('console.css');
  return (app, _opts, done) => {
    app.get('/assets/console.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').send(js));
    app.get('/assets/console.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(css));

    app.get('/', async (req, reply) => {
      const ctx = contextOf(deps, req, reply);
      const raw = withoutLang(req.query);
      const query = profilesQuery.parse(raw);
      // the queue is read once for every profile, and full statuses only for the page shown
      const live = await liveRunsByProfile(deps.queue);
      const rows = await profileStates(deps, deps.config.profiles, live);
      const page = pageOfStates(rows, { states: query.status, page: query.page, pageSize: query.pageSize });
      const keys = new StateKeys(deps.config.redis.prefix);
      const [statuses, workers, months] = await Promise.all([
        Promise.all(page.items.map((r) => profileStatus(deps, profileOf(deps, r.id), live))),
        workersOnline(deps),
        orgMonths(deps.redis, keys, deps.config.profiles, deps.now?.() ?? new Date()),
      ]);
      const list = {
        page,
        states: query.status,
        pageSize: raw.pageSize === undefined ? undefined : query.pageSize,
      };
      const body = html`${quotaSection(ctx, months)}${statusPage(ctx, statuses, workers, list)}`;
      return send(reply, layout(ctx, ctx.t('nav.console'), body));
    });

    app.get('/runs/:runId', async (req, reply) => {
      const ctx = contextOf(deps, req, reply);
      const { runId } = runParams.parse(req.params);
      const { list: asked, ...query } = runPageQuery.parse(withoutLang(req.query));
      const run = await runOf(deps, runId);
      const timeZone = runTimeZone(deps, run);
      const totals = await deps.history.lists.totals(run);
      const list = asked ?? firstList(run, totals);
      const [reentries, warnings, { page, departments }] = await Promise.all([
        run.counts.reentered > 0 ? deps.history.reentries(runId) : Promise.resolve([]),
        deps.history.warnings(run),
        listPage(deps, run, list, query, ctx.t),
      ]);
      const body = html`${runHeadView(ctx, { run, reentries, warnings, timeZone })}
      ${runListView(ctx, { run, list, query, page, totals, departments, timeZone })}`;
      return send(reply, layout(ctx, ctx.t('run.title', { runId }), body));
    });

    app.get('/profiles/:id/runs', async (req, reply) => {
      const ctx = contextOf(deps, req, reply);
      const profile = profileOf(deps, profileParams.parse(req.params).id);
      const query = runsQuery.parse(withoutLang(req.query));
      const page = await runPage(deps, profile, query);
      const body = runsPage(ctx, profile.id, profile.sync.schedule.timezone, page, query.status);
      return send(reply, layout(ctx, ctx.t('runs.title'), body));
    });

    app.get('/people', async (req, reply) => {
      const ctx = contextOf(deps, req, reply);
      const { q, profile } = peopleQuery.parse(withoutLang(req.query));
      const found = await findPeople(deps, q ?? '', profile);
      const body = peopleSearchView(ctx, found, deps.config.profiles.length > 1);
      return send(reply, layout(ctx, ctx.t('people.title'), body));
    });

    app.get('/people/:pdsUserId', async (req, reply) => {
      const ctx = contextOf(deps, req, reply);
      const { pdsUserId } = personParams.parse(req.params);
      const person = await personOf(deps, pdsUserId, personQuery.parse(withoutLang(req.query)).profile);
      const tz = profileOf(deps, person.profileId).sync.schedule.timezone;
      return send(reply, layout(ctx, person.card.name, personView(ctx, person, tz)));
    });

    app.get('/profiles/:id/departments', async (req, reply) => {
      const ctx = contextOf(deps, req, reply);
      const profile = profileOf(deps, profileParams.parse(req.params).id);
      const tree = await departmentsOf(deps, profile.id);
      const body = departmentsView(ctx, profile.id, tree, profile.sync.schedule.timezone);
      return send(reply, layout(ctx, ctx.t('departments.title'), body));
    });
    done();
  };
}
