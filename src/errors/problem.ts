import type { Params, Translate } from '../i18n/catalog.js';
import { codedText, type Coded } from '../i18n/coded.js';
import type { DingTalkErrorKind } from './dingtalk-error.js';

/*
 * Why a run or a check failed, as the stable code the catalog words (`problem.<code>`). It sits
 * beside the errors it names so that an error may carry one (ProblemError) without the errors
 * importing the report; report/problem.ts maps every other error to one.
 */

/** The problems a PDS error's kind stands for (report/problem.ts maps each kind to one). */
export type PdsProblem =
  | 'network'
  | 'malformed'
  | 'key'
  | 'credentials'
  | 'clock_skew'
  | 'forbidden'
  | 'throttled'
  | 'server'
  | 'quota'
  | 'other';

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

/** A problem in the reader's language. */
export function problemText(p: Problem, t: Translate): string {
  return codedText(t, 'problem', p, typeof p.params.message === 'string' ? p.params.message : p.code);
}
