import type { Translate } from '../i18n/catalog.js';
import { codedText } from '../i18n/coded.js';
import type { HeldReason } from '../gate/held-reason.js';
import type { ChangeAction } from '../plan/change-action.js';
import type { PlannedDisableReason } from '../plan/disable-reason.js';
import { problemText } from '../errors/problem.js';
import type { ReportHeldReason, ReportWarning, RunError, RunFailure, RunReport } from './types.js';

/**
 * A report's coded parts in the reader's language: held reasons, warnings, failure reasons,
 * actions and the run's error. Text an older version stored uncoded reaches here already
 * migrated (`stored_text`, a failure's `detail`: src/state/schemas-v1.ts).
 */

/** Why a run is held. */
export function heldText(reason: ReportHeldReason, t: Translate): string {
  if (reason.code === 'quota' && reason.params.estimate === undefined)
    return t('hold.quota', { ...reason.params, estimate: t('hold.quota.noEstimate') });
  if (reason.code !== 'source_drop') return codedText(t, 'hold', reason);
  const p = reason.params;
  const what = p.what === 'departments' ? t('hold.what.departments') : t('hold.what.users');
  const against =
    p.against === 'lastComplete'
      ? t('hold.against.lastComplete', { at: String(p.at ?? '') })
      : t('hold.against.managed');
  return t('hold.source_drop', { ...p, what, against });
}

/** One warning. */
export function warningText(w: ReportWarning, t: Translate): string {
  if (w.code === 'would_hold') {
    const { hold, ...params } = w.params;
    const reason = heldText({ code: hold as HeldReason['code'], params }, t);
    return t('warning.would_hold', { reason });
  }
  return codedText(t, 'warning', w);
}

/** Why a record failed: the console's words for its kind, and what its params add. */
export function failureText(f: Pick<RunFailure, 'kind' | 'params'>, t: Translate): string {
  const kind = t(`failure.${f.kind}`);
  const { owner, candidates, detail } = f.params;
  if (typeof owner === 'string' && owner !== '') return t('failure.linkedTo', { reason: kind, owner });
  if (typeof candidates === 'string' && candidates !== '')
    return t('failure.candidates', { reason: kind, candidates });
  // a failure stored before reasons were coded: its English detail is all it knows beyond the kind
  if (typeof detail === 'string' && detail !== '') return t('report.reasonDetail', { kind, detail });
  return kind;
}

/** Why a run failed. */
export function runErrorText(e: Pick<RunError, 'message' | 'problem'>, t: Translate): string {
  return e.problem === undefined ? e.message : problemText(e.problem, t);
}

/** A change's or failure's action in the reader's words, with what it acted on beyond the person. */
export function actionText(a: ChangeAction, t: Translate): string {
  const detail = (kind: string, d: string) => t('report.reasonDetail', { kind, detail: d });
  switch (a.type) {
    case 'adopt':
      return a.by === 'unknown' ? t('action.adopt') : detail(t('action.adopt'), t(`action.by.${a.by}`));
    case 'createGroup':
      return detail(t('action.createGroup'), departmentText(a.deptId, a.name, t));
    case 'renameGroup':
      return detail(t('action.renameGroup'), t('action.group', { groupId: a.groupId, name: a.name }));
    case 'disable':
      return t('action.disableWith', { reason: disableReasonText(a.reason, a.leaveReason, t) });
    case 'create':
    case 'update':
    case 'restore':
    case 'retire':
    case 'leaveGroups':
      return t(`action.${a.type}`);
  }
}

/** Why a user was disabled, in the reader's words; a leaver's with DingTalk's `leaveReason`. */
export function disableReasonText(
  reason: PlannedDisableReason,
  leaveReason: string | undefined,
  t: Translate,
): string {
  if (reason === 'left' && leaveReason !== undefined && leaveReason !== '')
    return t('disableReason.leftWith', { leaveReason });
  return t(`disableReason.${reason}`);
}

/** A department by id and name (the name may be unknown: an older report's failed group). */
function departmentText(deptId: number, name: string, t: Translate): string {
  return name === '' ? t('action.deptId', { deptId }) : t('action.department', { deptId, name });
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
          heldReason: { ...heldReason, text: heldText(heldReason, t) } satisfies Worded<ReportHeldReason>,
        }),
    warnings: r.warnings.map((w) => ({ ...w, text: warningText(w, t) })),
    ...(r.error === undefined ? {} : { error: { ...r.error, text: runErrorText(r.error, t) } }),
    ...(r.failures === undefined
      ? {}
      : { failures: r.failures.map((f) => ({ ...f, text: failureText(f, t) })) }),
  };
}
