import type { FastifyPluginCallback } from 'fastify';
import { approveHeld, rejectHeld, type HeldDecision } from '../../queue/decide-held.js';
import { wordedReport } from '../../report/words.js';
import { RUN_LISTS, type RunListName } from '../../state/list-filter.js';
import { runOf } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { ConflictError } from '../../errors/conflict-error.js';
import { NotFoundError } from '../../errors/not-found-error.js';
import { requestLocale, requestT } from '../locale.js';
import { statusText } from '../pages/report-view.js';
import { listPage, runTimeZone, sendCsv } from '../run-lists.js';
import { translator } from '../../i18n/catalog.js';
import { actorOf } from './actor.js';
import { emptyBody, listQuery, runParams } from './schemas.js';

function answer(d: HeldDecision, runId: string) {
  switch (d.kind) {
    case 'unknown_run':
      throw new NotFoundError('run', runId);
    case 'not_held':
      throw new ConflictError(runId, (t) => statusText(t, d.report));
    case 'approved':
      return { runId, status: d.report.status, approvalRunId: d.approvalRunId, actors: d.report.actors };
    case 'rejected':
      return { runId, status: d.report.status, actors: d.report.actors };
  }
}

export function runRoutes(deps: WebDeps): FastifyPluginCallback {
  return (app, _opts, done) => {
    // coded parts (held reason, warnings, error) gain their words in the request's language
    app.get('/runs/:runId', async (req) => {
      const run = await runOf(deps, runParams.parse(req.params).runId);
      return {
        ...wordedReport(run, requestT(req, deps.config.locale)),
        lists: await deps.history.lists.totals(run),
      };
    });

    // the change log, the held changes and the failures: a page at a time, or every row as CSV
    const listRoute = (list: RunListName) =>
      app.get(`/runs/:runId/${list}`, async (req, reply) => {
        const { runId } = runParams.parse(req.params);
        const { format, ...query } = listQuery.parse(req.query);
        const run = await runOf(deps, runId);
        const locale = requestLocale(req, deps.config.locale);
        const t = translator(locale);
        if (format === 'csv')
          return sendCsv(reply, deps, run, list, query, { t, locale, timeZone: runTimeZone(deps, run) });
        const { page } = await listPage(deps, run, list, query, t);
        return { list, ...page };
      });
    for (const list of RUN_LISTS) listRoute(list);

    app.post('/runs/:runId/approve', async (req, reply) => {
      const { runId } = runParams.parse(req.params);
      emptyBody.parse(req.body);
      const d = await approveHeld(deps.queue, deps.history, runId, actorOf(req));
      return reply.code(202).send(answer(d, runId));
    });

    app.post('/runs/:runId/reject', async (req) => {
      const { runId } = runParams.parse(req.params);
      emptyBody.parse(req.body);
      return answer(await rejectHeld(deps.history, runId, actorOf(req)), runId);
    });
    done();
  };
}
