import type { CallStats } from '../http/call-stats.js';
import { retryLoop, type RetryPolicy, type Verdict } from '../http/retry-loop.js';
import type { EgressPause, PauseVerdict } from '../pacing/egress-pause.js';
import type { Logger } from '../process/logger.js';
import type { MonthlyCallMeter } from './types.js';
import { DingTalkError, type DingTalkErrorKind } from '../errors/dingtalk-error.js';
import { classifyFailure, retryPolicies, type Decision, type RetryPolicyName } from './classify.js';
import type { DingTalkHttp } from './http.js';
import { describeFailure, scrub } from './messages.js';
import { readAttempt, type DingTalkCallSpec, type FailedOutcome } from './read-response.js';

export interface ExecutorOptions {
  readonly http: DingTalkHttp;
  readonly log: Logger;
  /** Base of every retry wait (DingTalk: "back off from 1 s"). */
  readonly retryBaseMs: number;
  /** Where each attempt's outcome (ok, throttled, error) is counted. */
  readonly stats?: CallStats | undefined;
  /** Where a 90020 is recorded beside the month's calls, naming the API that answered it. */
  readonly monthly?: MonthlyCallMeter | undefined;
  /** The pause of every DingTalk call of the deployment while DingTalk bans its egress IP. */
  readonly egress: EgressPause;
}

/** A failed attempt, its detail already scrubbed of the call's secrets and token. */
type Failed = FailedOutcome & { readonly scrubbed: string | undefined };

/**
 * Runs one DingTalk call to its end through the shared retry loop (http/retry-loop.ts): the
 * decisions of `classify.ts`, one token renewal on a refused token, a ban of the egress IP
 * waited out with every other call (or failed once it lasts too long), and typed errors that
 * name the path and never the query.
 */
export class DingTalkExecutor {
  readonly #policies: Readonly<Record<RetryPolicyName, RetryPolicy>>;

  constructor(private readonly opts: ExecutorOptions) {
    this.#policies = retryPolicies(opts.retryBaseMs);
  }

  /**
   * A ban answer pauses every DingTalk call of the deployment for its `wait` (the next attempt
   * waits it out before it is sent), unless the whole pause would last too long.
   */
  async #pauseFor(path: string, o: FailedOutcome): Promise<FailedOutcome> {
    if (o.failure.type !== 'banned') return o;
    const pause = await this.opts.egress.extend(o.failure.waitSeconds);
    this.opts.log.warn({ path, code: o.code, ...pause }, 'dingtalk bans this egress IP');
    return pause.within ? o : tooLong(o, pause);
  }

  call<T>(spec: DingTalkCallSpec<T>): Promise<T> {
    const { log, stats } = this.opts;
    return retryLoop<T, Failed, RetryPolicyName, DingTalkErrorKind, Decision>({
      tokens: spec.tokens,
      signal: spec.signal,
      policies: this.#policies,
      attempt: async (token, attempt) => {
        const paused = await this.opts.egress.waitOut(spec.signal);
        if (!paused.within) {
          const o = tooLong({ code: 'ip_ban' }, paused);
          return { ok: false, failure: { ...o, scrubbed: o.detail }, decision: classifyFailure(o.failure) };
        }
        const sent = await this.opts.http.send(
          {
            baseUrl: spec.baseUrl,
            path: spec.path,
            method: spec.method,
            json: spec.body,
            searchParams:
              token !== undefined && spec.api === 'oapi'
                ? { ...spec.query, access_token: token }
                : spec.query,
            headers:
              token !== undefined && spec.api === 'api'
                ? { 'x-acs-dingtalk-access-token': token }
                : undefined,
          },
          spec.signal,
        );
        const outcome = readAttempt(spec, sent);
        log.debug(
          {
            path: spec.path,
            ms: sent.ms,
            ...(sent.ok ? { status: sent.status } : { network: sent.code }),
            errcode: outcome.ok ? '0' : outcome.code,
            attempt,
          },
          'dingtalk call',
        );
        if (outcome.ok) {
          stats?.outcome(spec.path, 'ok');
          return outcome;
        }
        const failed = await this.#pauseFor(spec.path, outcome);
        const decision = classifyFailure(failed.failure);
        const throttled = decision.kind === 'throttled' || decision.kind === 'ip_banned';
        stats?.outcome(spec.path, throttled ? 'throttled' : 'error');
        if (decision.kind === 'quota') this.opts.monthly?.refused(spec.path);
        const secrets = [...(spec.secrets ?? []), ...(token === undefined ? [] : [token])];
        return { ok: false, failure: { ...failed, scrubbed: scrub(failed.detail, secrets) }, decision };
      },
      onRetry: (o, _d, retry, waitMs) =>
        log.debug({ path: spec.path, code: o.code, retry, waitMs }, 'dingtalk retry'),
      error: (o, _d, verdict, attempts) => errorOf(spec.path, o, verdict, attempts),
    });
  }
}

/** The call fails: the ban's whole pause is longer than allowed. */
function tooLong(
  o: Pick<FailedOutcome, 'code' | 'httpStatus' | 'requestId'>,
  p: Exclude<PauseVerdict, { within: true }>,
): FailedOutcome {
  return {
    ...o,
    ok: false,
    failure: { type: 'ban_too_long' },
    detail: `paused ${p.pauseSeconds} s in all, more than dingtalkBan.maxWaitSeconds ${p.maxWaitSeconds} s`,
  };
}

function errorOf(path: string, o: Failed, v: Verdict<DingTalkErrorKind>, attempts: number): DingTalkError {
  return new DingTalkError(describeFailure(v.kind, path, o.code, o.scrubbed, o.permission, attempts), {
    ...v,
    path,
    code: o.code,
    httpStatus: o.httpStatus,
    requestId: o.requestId,
    permission: o.permission,
    attempts,
  });
}
