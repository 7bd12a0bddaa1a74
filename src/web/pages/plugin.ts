import { readFileSync } from 'node:fs';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseLocale, translator, type Locale } from '../../i18n/catalog.js';
import {
  failuresQuery,
  peopleQuery,
  personParams,
  personQuery,
  profileParams,
  profilesQuery,
  runParams,
  runsQuery,
} from '../api/schemas.js';
import { liveRunsByProfile, pageOfStates, profileStates } from '../../status/profile-states.js';
import { failurePage, profileOf, profileStatus, runOf, runPage, workersOnline } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { departmentsOf, findPeople, personOf } from '../people-data.js';
import { departmentsView } from './departments-page.js';
import { peopleSearchView, personView } from './people-page.js';
import { LANG_COOKIE, requestLocale } from '../locale.js';
import type { Html } from '../html.js';
import { layout, type PageContext } from './layout.js';
import { runReportView } from './report-view.js';
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
      const query = failuresQuery.parse(withoutLang(req.query));
      const report = await runOf(deps, runId);
      const tz = deps.config.profiles.find((p) => p.id === report.profileId)?.sync.schedule.timezone ?? 'UTC';
      const failures = await failurePage(deps, report, query);
      const body = runReportView(ctx, report, failures, query.q ?? '', tz);
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
