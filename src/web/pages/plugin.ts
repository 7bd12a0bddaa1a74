import { readFileSync } from 'node:fs';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseLocale, translator, type Locale } from '../../i18n/catalog.js';
import type { RunSummary } from '../../report/summary.js';
import type { RunListName } from '../../state/list-filter.js';
import { profileParams, runPageQuery, runParams, runsQuery } from '../api/schemas.js';
import { profileOf, profileStatus, runOf, runPage, workersOnline } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { LANG_COOKIE, requestLocale } from '../locale.js';
import { html, type Html } from '../html.js';
import { layout, type PageContext } from './layout.js';
import { listPage, runTimeZone } from '../run-lists.js';
import { runHeadView } from './report-view.js';
import { runListView } from './run-list-view.js';
import { runsPage } from './runs-page.js';
import { statusPage } from './status-page.js';
import { orgMonths } from '../../quota/org-month.js';
import { StateKeys } from '../../state/keys.js';
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

/** The list a run's page opens on: its hold while undecided, else its failures if any, else its changes. */
function firstList(run: RunSummary, totals: Readonly<Record<RunListName, number>>): RunListName {
  if (run.status === 'held' && run.held?.resolution === undefined && totals.held > 0) return 'held';
  return totals.failures > 0 ? 'failures' : 'changes';
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
      const keys = new StateKeys(deps.config.redis.prefix);
      const [statuses, workers, months] = await Promise.all([
        Promise.all(deps.config.profiles.map((p) => profileStatus(deps, p))),
        workersOnline(deps),
        orgMonths(deps.redis, keys, deps.config.profiles, deps.now?.() ?? new Date()),
      ]);
      const body = html`${quotaSection(ctx, months)}${statusPage(ctx, statuses, workers)}`;
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
    done();
  };
}
