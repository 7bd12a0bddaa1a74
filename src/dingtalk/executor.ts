import type { CallStats } from '../http/call-stats.js';
import type { Logger } from '../process/logger.js';
import { pause } from '../errors/abort.js';
import { DingTalkError, type DingTalkErrorKind } from '../errors/dingtalk-error.js';
import {
  classifyFailure,
  RETRY_POLICIES,
  verdictOf,
  type Decision,
  type RetryPolicyName,
} from './classify.js';
import type { DingTalkHttp } from './http.js';
import { describeFailure, scrub } from './messages.js';
import { readAttempt, type CallSpec, type FailedOutcome } from './read-response.js';

export type { CallSpec, TokenSource } from './read-response.js';

export interface ExecutorOptions {
  readonly http: DingTalkHttp;
  readonly log: Logger;
  /** Base of every retry wait (DingTalk: "back off from 1 s"). */
  readonly retryBaseMs: number;
  /** Where each attempt's outcome (ok, throttled, error) is counted. */
  readonly stats?: CallStats | undefined;
}

/**
 * Runs one DingTalk call to its end: attempts, the retry rules of `classify.ts`, one token
 * refresh on a refused token, and typed errors that name the path and never the query.
 */
export class DingTalkExecutor {
  constructor(private readonly opts: ExecutorOptions) {}

  async call<T>(spec: CallSpec<T>, signal?: AbortSignal): Promise<T> {
    const tries = new Map<RetryPolicyName, number>();
    let attempts = 0;
    let refreshed = false;
    for (;;) {
      const token = spec.tokens === undefined ? undefined : await spec.tokens.get(signal);
      attempts++;
      const attempt = await this.opts.http.send(
        {
          baseUrl: spec.baseUrl,
          path: spec.path,
          method: spec.method,
          json: spec.body,
          searchParams:
            token !== undefined && spec.api === 'oapi' ? { ...spec.query, access_token: token } : spec.query,
          headers:
            token !== undefined && spec.api === 'api' ? { 'x-acs-dingtalk-access-token': token } : undefined,
        },
        signal,
      );
      const outcome = readAttempt(spec, attempt);
      this.opts.log.debug(
        {
          path: spec.path,
          ms: attempt.ms,
          ...(attempt.ok ? { status: attempt.status } : { network: attempt.code }),
          errcode: outcome.ok ? '0' : outcome.code,
          attempt: attempts,
        },
        'dingtalk call',
      );
      if (outcome.ok) {
        this.opts.stats?.outcome(spec.path, 'ok');
        return outcome.value;
      }

      const decision = classifyFailure(outcome.failure);
      const throttled = decision.action !== 'refresh-token' && decision.kind === 'throttled';
      this.opts.stats?.outcome(spec.path, throttled ? 'throttled' : 'error');
      const scrubbed = scrub(outcome.detail, [
        ...(spec.secrets ?? []),
        ...(token === undefined ? [] : [token]),
      ]);
      if (decision.action === 'refresh-token') {
        if (token !== undefined && !refreshed) {
          refreshed = true;
          spec.tokens?.invalidate(token);
          continue;
        }
        throw this.error('token', decision, spec.path, outcome, attempts, scrubbed);
      }
      if (decision.action === 'fail') {
        throw this.error(decision.kind, decision, spec.path, outcome, attempts, scrubbed);
      }
      const policy = RETRY_POLICIES[decision.policy];
      const n = (tries.get(decision.policy) ?? 0) + 1;
      tries.set(decision.policy, n);
      if (n >= policy.maxAttempts) {
        throw this.error(decision.kind, decision, spec.path, outcome, attempts, scrubbed);
      }
      const waitMs = policy.delayMs(n, this.opts.retryBaseMs);
      this.opts.log.debug({ path: spec.path, code: outcome.code, retry: n, waitMs }, 'dingtalk retry');
      await pause(waitMs, signal);
    }
  }

  private error(
    kind: DingTalkErrorKind,
    decision: Decision,
    path: string,
    o: FailedOutcome,
    attempts: number,
    detail: string | undefined,
  ): DingTalkError {
    return new DingTalkError(describeFailure(kind, path, o.code, detail, o.permission, attempts), {
      kind,
      path,
      code: o.code,
      ...verdictOf(decision),
      httpStatus: o.httpStatus,
      requestId: o.requestId,
      permission: o.permission,
      attempts,
    });
  }
}
