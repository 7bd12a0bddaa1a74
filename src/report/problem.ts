import { DingTalkError } from '../errors/dingtalk-error.js';
import { PdsError, type PdsErrorKind } from '../errors/pds-error.js';
import { problem, type PdsProblem, type Problem } from '../errors/problem.js';
import { ProblemError } from '../errors/problem-error.js';
import { CLOCK_MARGIN_SECONDS, offsetWords } from '../pds/clock.js';

/**
 * The problem each PDS kind stands for. A conflict, a missing record or a refused parameter ends
 * a run only on a read, where it is PDS's own answer worded as such (`pds.other`).
 */
const PDS_PROBLEM: Readonly<Record<PdsErrorKind, PdsProblem>> = {
  network: 'network',
  malformed: 'malformed',
  key: 'key',
  credentials: 'credentials',
  clock_skew: 'clock_skew',
  forbidden: 'forbidden',
  throttled: 'throttled',
  server: 'server',
  quota: 'quota',
  invalid: 'other',
  not_found: 'other',
  exists: 'other',
  other: 'other',
};

const isAbort = (err: unknown) =>
  err instanceof Error && (err.name === 'AbortError' || err.message === 'This operation was aborted');

/** The problem an error stands for. The remote clients' errors keep their kind, code and path. */
export function problemOf(err: unknown): Problem {
  if (err instanceof DingTalkError)
    return problem(`dingtalk.${err.kind}`, {
      path: err.path,
      code: err.code,
      permission: err.permission ?? err.code,
    });
  if (err instanceof PdsError)
    return problem(`pds.${PDS_PROBLEM[err.kind]}`, {
      path: err.path,
      code: err.code,
      ...(err.httpStatus === undefined ? {} : { httpStatus: err.httpStatus }),
      ...(err.kind === 'clock_skew' && err.clockOffsetMs !== undefined
        ? { offset: offsetWords(err.clockOffsetMs), margin: CLOCK_MARGIN_SECONDS }
        : {}),
    });
  if (err instanceof ProblemError) return err.problem;
  if (isAbort(err)) return problem('aborted');
  return problem('unexpected', { message: err instanceof Error ? err.message : String(err) });
}
