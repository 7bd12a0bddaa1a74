import type { FastifyPluginCallback } from 'fastify';
import { JobName } from '../../queue/jobs.js';
import type { WebDeps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { checkParams } from './schemas.js';

/** What `GET /api/checks/:id` answers: the job's state, then the check's result. */
export interface CheckStatus {
  readonly id: string;
  readonly profileId: string;
  readonly state: string;
  readonly result?: unknown;
  readonly error?: string;
}

export async function checkStatus(deps: WebDeps, id: string): Promise<CheckStatus> {
  const job = await deps.queue.getJob(id);
  if (job?.name !== JobName.Check) throw new NotFoundError(`unknown check "${id}"`);
  const state = await job.getState();
  return {
    id,
    profileId: job.data.profileId,
    state,
    ...(state === 'completed' ? { result: job.returnvalue } : {}),
    ...(state === 'failed' ? { error: job.failedReason } : {}),
  };
}

export function checkRoutes(deps: WebDeps): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/checks/:id', (req) => checkStatus(deps, checkParams.parse(req.params).id));
    done();
  };
}
