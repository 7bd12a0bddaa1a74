import type { FastifyPluginCallback } from 'fastify';
import { checkItemWords, type CheckItem } from '../../check/items.js';
import type { Params, Translate } from '../../i18n/catalog.js';
import { codedText, type Coded } from '../../i18n/coded.js';
import { problem } from '../../errors/problem.js';
import { isJobOf } from '../../queue/jobs.js';
import type { WebDeps } from '../deps.js';
import { NotFoundError } from '../../errors/not-found-error.js';
import { requestT } from '../locale.js';
import { checkParams } from './schemas.js';

/** What `GET /api/checks/:id` answers: the job's state, then the check's result. */
export interface CheckStatus {
  readonly id: string;
  readonly profileId: string;
  readonly state: string;
  readonly result?: unknown;
  /** Why a failed check failed: its stable code, worded in the reader's language. */
  readonly error?: Coded & { readonly text: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The cause a failed check job left in its progress (src/worker/processor.ts); a job that ended
 * without one (its worker stopped, or the job stalled) was interrupted.
 */
function checkProblem(progress: unknown): Coded {
  const p = isRecord(progress) ? progress.problem : undefined;
  if (isRecord(p) && typeof p.code === 'string' && isRecord(p.params))
    return { code: p.code, params: p.params as Params };
  return problem('interrupted');
}

function failure(progress: unknown, t: Translate): Coded & { readonly text: string } {
  const p = checkProblem(progress);
  const message = typeof p.params.message === 'string' ? p.params.message : p.code;
  return { ...p, text: codedText(t, 'problem', p, message) };
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
  if (!isJobOf(job, 'config-check')) throw new NotFoundError('check', id);
  const state = await job.getState();
  return {
    id,
    profileId: job.data.profileId,
    state,
    ...(state === 'completed' ? { result: worded(job.returnvalue, t) } : {}),
    ...(state === 'failed' ? { error: failure(job.progress, t) } : {}),
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
