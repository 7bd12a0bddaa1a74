import { DingTalkError } from '../errors/dingtalk-error.js';
import { RemoteError } from '../errors/remote-error.js';
import { PdsError } from '../errors/pds-error.js';
import { problemOf } from '../report/problem.js';
import type { RunError } from '../report/types.js';

/** DingTalk or PDS could not be reached at all (no answer), as opposed to answering with an error. */
function unreachable(err: RemoteError): boolean {
  return (err instanceof DingTalkError || err instanceof PdsError) && err.kind === 'network';
}

/**
 * A run's failure for the report and the job: the remote code, a message with no secret (English,
 * for logs), and the cause as a problem code that readers word in their language.
 */
export function failureOf(err: unknown): RunError {
  const cause = problemOf(err);
  if (err instanceof RemoteError) {
    return {
      code: `${err.service}:${err.code}`,
      message: err.message,
      problem: cause,
      permanent: err.permanent,
      ...(unreachable(err) ? { unreachable: err.service } : {}),
    };
  }
  if (cause.code === 'aborted') {
    return { code: 'aborted', message: 'the run was cancelled', problem: cause, permanent: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  const permanent = err instanceof Error && (err as { permanent?: unknown }).permanent === true;
  return { code: err instanceof Error ? err.name : 'Error', message, problem: cause, permanent };
}
