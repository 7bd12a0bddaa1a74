import { DingTalkError, type DingTalkErrorKind } from '../errors/dingtalk-error.js';
import { translator, type Params, type Translate } from '../i18n/catalog.js';
import { codedText, type Coded } from '../i18n/coded.js';
import { PdsError, type PdsErrorKind } from '../errors/pds-error.js';

type PdsProblem =
  'network' | 'malformed' | 'key' | 'credentials' | 'forbidden' | 'throttled' | 'server' | 'quota' | 'other';

/**
 * The problem each PDS kind stands for. A conflict, a missing record or a refused parameter ends
 * a run only on a read, where it is PDS's own answer worded as such (`pds.other`).
 */
const PDS_PROBLEM: Readonly<Record<PdsErrorKind, PdsProblem>> = {
  network: 'network',
  malformed: 'malformed',
  key: 'key',
  credentials: 'credentials',
  forbidden: 'forbidden',
  throttled: 'throttled',
  server: 'server',
  quota: 'quota',
  invalid: 'other',
  not_found: 'other',
  exists: 'other',
  other: 'other',
};

/** Why a run or a check failed, as a stable code: the catalog's `problem.<code>` words it. */
export type ProblemCode =
  | `dingtalk.${DingTalkErrorKind}`
  | `pds.${PdsProblem}`
  | 'aborted'
  | 'unknown_profile'
  | 'sync_disabled'
  | 'config_mismatch'
  | 'approval_not_held'
  | 'interrupted'
  | 'unexpected';

export type Problem = Coded<ProblemCode>;

export const problem = (code: ProblemCode, params: Params = {}): Problem => ({ code, params });

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
    });
  if (err instanceof ProblemError) return err.problem;
  if (isAbort(err)) return problem('aborted');
  return problem('unexpected', { message: err instanceof Error ? err.message : String(err) });
}

/** A problem in the reader's language. */
export function problemText(p: Problem, t: Translate): string {
  return codedText(t, 'problem', p, typeof p.params.message === 'string' ? p.params.message : p.code);
}

/** An error whose cause is already a problem code (its message is the English wording, for logs). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problemText(problem, translator('en')));
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
