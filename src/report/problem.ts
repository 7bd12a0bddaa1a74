import { DingTalkError, type DingTalkErrorKind } from '../errors/dingtalk-error.js';
import { translator, type Params, type Translate } from '../i18n/catalog.js';
import { codedText, type Coded } from '../i18n/coded.js';
import { LocalCode, PdsError } from '../errors/pds-error.js';
import { PdsKeyError } from '../errors/pds-key-error.js';
import { codeMatches } from '../errors/remote-error.js';
import { TOKEN_PATH } from '../pds/key.js';

type PdsProblem =
  'network' | 'malformed' | 'key' | 'credentials' | 'forbidden' | 'throttled' | 'server' | 'quota' | 'other';

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

function pdsProblem(err: PdsError): PdsProblem {
  const status = err.httpStatus ?? 0;
  if (err instanceof PdsKeyError) return 'key';
  if (err.code === LocalCode.Network) return 'network';
  if (err.code === LocalCode.Malformed) return 'malformed';
  // throttling and a refused permission first: on the token path they are not bad credentials
  if (status === 429) return 'throttled';
  if (codeMatches(err.code, 'QuotaExhausted')) return 'quota';
  // Forbidden, ForbiddenNoPermission.User, …: every code that starts so
  if (err.code.startsWith('Forbidden') || (status === 403 && err.path !== TOKEN_PATH)) return 'forbidden';
  if (status === 401 || (err.path === TOKEN_PATH && status >= 400 && status < 500)) return 'credentials';
  if (status >= 500) return 'server';
  return 'other';
}

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
    return problem(`pds.${pdsProblem(err)}`, {
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
