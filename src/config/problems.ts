import type { z } from 'zod';
import { isMessageKey, translator, type Locale, type Params, type Translate } from '../i18n/catalog.js';
import { codedText, type Coded } from '../i18n/coded.js';
import { ConfigError, type ConfigProblem } from '../errors/config-error.js';

export type { ConfigProblem } from '../errors/config-error.js';

/**
 * A schema's message as a code with its params, e.g. `range {"min":0,"max":23}`. Zod carries
 * it as the issue's message; the loader turns it back into `{code, params}` (codeOfMessage).
 */
export function msg(code: string, params?: Params): string {
  return params === undefined ? code : `${code} ${JSON.stringify(params)}`;
}

const CODED = /^([a-z_]+)(?: (\{.*\}))?$/;

function codeOfMessage(message: string): Coded | undefined {
  const m = CODED.exec(message);
  if (m?.[1] === undefined || !isMessageKey(`configProblem.${m[1]}`)) return undefined;
  return { code: m[1], params: m[2] === undefined ? {} : (JSON.parse(m[2]) as Params) };
}

/** An issue where the input's own type was wrong (not something inside it). */
const wrongType = (i: z.core.$ZodIssue) =>
  i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');

/**
 * The issues to report for one zod issue. A union the input matched none of reports the one
 * option whose type the input had, with that option's own problems (a `web.auth.tokens` entry
 * that is a bare string says so, instead of "must be none or {username, password, tokens}");
 * with no such option, or several, the union's own message stands.
 */
export function reportedIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const matched = issue.errors.filter((option) => option.length > 0 && !option.some(wrongType));
  const [only] = matched;
  if (matched.length !== 1 || only === undefined) return [issue];
  return only.flatMap((inner) => reportedIssues({ ...inner, path: [...issue.path, ...inner.path] }));
}

/** A zod issue as a coded problem: the schema's own code, else one from zod's issue code. */
export function issueProblem(issue: z.core.$ZodIssue): Coded {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined'))
    return { code: 'required', params: {} };
  const coded = codeOfMessage(issue.message);
  if (coded !== undefined) return coded;
  switch (issue.code) {
    case 'invalid_type':
      return { code: 'invalid_type', params: { expected: issue.expected } };
    case 'invalid_value':
      return { code: 'invalid_value', params: { values: issue.values.map(String).join(' | ') } };
    case 'too_small':
      return { code: 'too_small', params: { minimum: String(issue.minimum) } };
    case 'too_big':
      return { code: 'too_big', params: { maximum: String(issue.maximum) } };
    case 'invalid_format':
      return { code: 'invalid_format', params: {} };
    case 'unrecognized_keys':
      return { code: 'unknown_key', params: {} };
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return { code: 'invalid', params: {} };
  }
}

/** A problem in the reader's language (without its path). */
export function configProblemText(p: Coded, t: Translate): string {
  return codedText(t, 'configProblem', p);
}

/** `path: problem`, or the problem alone when it is about the whole file. */
export function configProblemLine(p: ConfigProblem, t: Translate): string {
  const problem = configProblemText(p, t);
  return p.path === '' ? problem : t('configProblem.line', { path: p.path, problem });
}

const english = translator('en');

/** The English lines of problems, for logs and error messages (operators read them worded). */
export const englishLines = (problems: readonly ConfigProblem[]): string[] =>
  problems.map((p) => configProblemLine(p, english));

/** The error of a config with `problems`, its English lines worded here. */
export const configError = (problems: readonly ConfigProblem[], file: string, locale?: Locale): ConfigError =>
  new ConfigError(problems, file, englishLines(problems), locale);
