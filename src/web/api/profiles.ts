import type { FastifyPluginCallback } from 'fastify';
import { enqueueCheck, enqueueManual } from '../../queue/enqueue.js';
import { liveRuns, profileOf, profileStatus, profileView, runPage } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { actorOf } from './actor.js';
import { emptyBody, profileParams, profilesQuery, runsQuery, syncBody } from './schemas.js';
import { pageOfStates, profileStates } from '../../status/profile-states.js';

export function profileRoutes(deps: WebDeps): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/profiles', () =>
      deps.config.profiles.map((p) => profileView(p, deps.config.scheduler.spreadMinutes)),
    );

    // the profiles' states, filtered and paged on the server: a deployment may have thousands
    app.get('/status', async (req) => {
      const q = profilesQuery.parse(req.query);
      const rows = await profileStates(deps, deps.config.profiles);
      return pageOfStates(rows, { states: q.status, page: q.page, pageSize: q.pageSize });
    });

    app.get('/profiles/:id/status', (req) => {
      const { id } = profileParams.parse(req.params);
      return profileStatus(deps, profileOf(deps, id));
    });

    // what the status page polls while a run is live: the runs' own progress, never a report
    app.get('/profiles/:id/live', async (req) => {
      const { id } = profileParams.parse(req.params);
      return { live: await liveRuns(deps, profileOf(deps, id).id) };
    });

    app.post('/profiles/:id/sync', async (req, reply) => {
      const { id } = profileParams.parse(req.params);
      const body = syncBody.parse(req.body);
      const profile = profileOf(deps, id);
      const run = await enqueueManual(deps.queue, profile.id, { ...body, actor: actorOf(req) });
      return reply.code(202).send(run);
    });

    app.post('/profiles/:id/check', async (req, reply) => {
      const { id } = profileParams.parse(req.params);
      emptyBody.parse(req.body);
      const profile = profileOf(deps, id);
      const checkId = await enqueueCheck(deps.queue, profile.id, actorOf(req));
      return reply.code(202).send({ checkId });
    });

    app.get('/profiles/:id/runs', (req) => {
      const { id } = profileParams.parse(req.params);
      const query = runsQuery.parse(req.query);
      return runPage(deps, profileOf(deps, id), query);
    });
    done();
  };
}
