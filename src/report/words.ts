import { isMessageKey, type Translate } from '../i18n/catalog.js';
import { codedText } from '../i18n/coded.js';
import type { HeldReason } from '../gate/held-reason.js';
import { problemText } from '../errors/problem.js';
import type { ReportWarning, RunError, RunFailure, RunReport } from './types.js';

/**
 * A report's coded parts in the reader's language: held reasons, warnings, failure reasons and
 * the run's error. Reports written before these had codes carry plain text, shown as it is.
 */

/** Why a run is held. */
export function heldText(reason: HeldReason | string, t: Translate): string {
  if (typeof reason === 'string') return reason;
  const p = reason.params;
  if (reason.code !== 'source_drop') return codedText(t, 'hold', reason);
  const what = p.what === 'departments' ? t('hold.what.departments') : t('hold.what.users');
  const against =
    p.against === 'lastComplete'
      ? t('hold.against.lastComplete', { at: String(p.at ?? '') })
      : t('hold.against.managed');
  return t('hold.source_drop', { ...p, what, against });
}

/** One warning. */
export function warningText(w: ReportWarning | string, t: Translate): string {
  if (typeof w === 'string') return w;
  if (w.code === 'would_hold') {
    const { hold, ...params } = w.params;
    const reason = heldText({ code: hold as HeldReason['code'], params }, t);
    return t('warning.would_hold', { reason });
  }
  return codedText(t, 'warning', w);
}

/** Why a record failed: the console's words for its kind, and who holds a taken link. */
export function failureText(f: Pick<RunFailure, 'kind' | 'reason' | 'params'>, t: Translate): string {
  const key = `failure.${f.kind ?? ''}`;
  if (!isMessageKey(key)) return f.reason;
  const kind = t(key);
  // an older report has no params: its English detail is all it knows beyond the kind
  if (f.params === undefined) return t('report.reasonDetail', { kind, detail: f.reason });
  const owner = f.params.owner;
  return typeof owner === 'string' && owner !== '' ? t('failure.linkedTo', { reason: kind, owner }) : kind;
}

/** Why a run failed. */
export function runErrorText(e: Pick<RunError, 'message' | 'problem'>, t: Translate): string {
  return e.problem === undefined ? e.message : problemText(e.problem, t);
}

/** A change's or failure's action (`create`, `adopt(email)`, …) in the reader's words. */
export function actionText(action: string, t: Translate): string {
  const m = /^(\w+)(?:\((.*)\))?$/.exec(action);
  const key = `action.${m?.[1] ?? ''}`;
  if (m === null || !isMessageKey(key)) return action;
  return m[2] === undefined ? t(key) : t('report.reasonDetail', { kind: t(key), detail: m[2] });
}

type Worded<T> = T & { readonly text: string };

/** A report for `--json` and the API: every coded part keeps its code and gains its `text`. */
export function wordedReport<
  R extends Partial<Pick<RunReport, 'heldReason' | 'error' | 'failures'>> & {
    readonly warnings: RunReport['warnings'];
  },
>(r: R, t: Translate) {
  const heldReason = r.heldReason;
  return {
    ...r,
    ...(heldReason === undefined
      ? {}
      : {
          heldReason:
            typeof heldReason === 'string'
              ? heldReason
              : ({ ...heldReason, text: heldText(heldReason, t) } satisfies Worded<HeldReason>),
        }),
    warnings: r.warnings.map((w) => (typeof w === 'string' ? w : { ...w, text: warningText(w, t) })),
    ...(r.error === undefined ? {} : { error: { ...r.error, text: runErrorText(r.error, t) } }),
    ...(r.failures === undefined
      ? {}
      : { failures: r.failures.map((f) => ({ ...f, text: failureText(f, t) })) }),
  };
}
