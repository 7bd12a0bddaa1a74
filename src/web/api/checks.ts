import type { FastifyPluginCallback } from 'fastify';
import { checkItemWords, type CheckItem } from '../../check/items.js';
import type { Translate } from '../../i18n/catalog.js';
import { JobName } from '../../queue/jobs.js';
import type { WebDeps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { requestT } from '../locale.js';
import { checkParams } from './schemas.js';

/** What `GET /api/checks/:id` answers: the job's state, then the check's result. */
export interface CheckStatus {
  readonly id: string;
  readonly profileId: string;
  readonly state: string;
  readonly result?: unknown;
  readonly error?: string;
}

/** A check's result with each item worded in the reader's language (and its codes kept). */
function worded(result: unknown, t: Translate): unknown {
  if (typeof result !== 'object' || result === null || !('items' in result) || !Array.isArray(result.items))
    return result;
  const items = result.items as (CheckItem & Record<string, unknown>)[];
  return { ...result, items: items.map((i) => ({ ...i, ...checkItemWords(i, t) })) };
}

export async function checkStatus(deps: WebDeps, id: string, t: Translate): Promise<CheckStatus> {
  const job = await deps.queue.getJob(id);
  if (job?.name !== JobName.Check) throw new NotFoundError('check', id);
  const state = await job.getState();
  return {
    id,
    profileId: job.data.profileId,
    state,
    ...(state === 'completed' ? { result: worded(job.returnvalue, t) } : {}),
    ...(state === 'failed' ? { error: job.failedReason } : {}),
  };
}

export function checkRoutes(deps: WebDeps): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/checks/:id', (req) =>
      checkStatus(deps, checkParams.parse(req.params).id, requestT(req, deps.config.locale)),
    );
    done();
  };
}
