import type { FastifyPluginCallback } from 'fastify';
import { approveHeld, rejectHeld, type HeldDecision } from '../../queue/decide-held.js';
import { failurePage, runOf } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { ConflictError } from '../../errors/conflict-error.js';
import { NotFoundError } from '../../errors/not-found-error.js';
import { failureText, wordedReport } from '../../report/words.js';
import { requestT } from '../locale.js';
import { statusText } from '../pages/report-view.js';
import { actorOf } from './actor.js';
import { emptyBody, failuresQuery, runParams } from './schemas.js';

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
    // coded parts (held reason, warnings, failures, error) gain their words in the request's language
    app.get('/runs/:runId', async (req) =>
      wordedReport(await runOf(deps, runParams.parse(req.params).runId), requestT(req, deps.config.locale)),
    );

    app.get('/runs/:runId/failures', async (req) => {
      const { runId } = runParams.parse(req.params);
      const query = failuresQuery.parse(req.query);
      const t = requestT(req, deps.config.locale);
      const page = await failurePage(deps, await runOf(deps, runId), query);
      return { ...page, items: page.items.map((f) => ({ ...f, text: failureText(f, t) })) };
    });

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
