import type { Translate } from '../i18n/catalog.js';
import type { Locale } from '../i18n/catalog.js';
import { localTime } from '../i18n/time.js';
import type { RunSummary } from '../report/summary.js';
import type { Person, RunStatus } from '../report/types.js';
import { actionText, failureText, heldText, runErrorText, warningText } from '../report/words.js';
import type { RunHistory } from '../state/history.js';
import { reportDetails, type ReportDetails } from './report-details.js';

/** Who acted, in the order a run's story goes. */
const ACTOR_ROLES = ['startedBy', 'approvedBy', 'rejectedBy'] as const;

export interface ReportStyle {
  readonly t: Translate;
  readonly locale: Locale;
  /** The profile's timezone: every time is shown in it, with its offset. */
  readonly timeZone: string;
  /** People listed per list before "and N more". @defaultValue 10 */
  readonly maxPeople?: number;
}

/** A run's status as an operator reads it: an approved hold reads as approved. */
export function statusText(
  r: { readonly status: RunStatus; readonly held?: { readonly resolution?: { readonly action: string } } },
  t: Translate,
): string {
  if (r.status === 'held' && r.held?.resolution?.action === 'approved') return t('status.approved');
  return t(`status.${r.status}`);
}

const personVars = (p: Person, t: Translate) => ({
  name: p.name,
  userid: p.userid,
  departments: p.departments.join(t('notify.listSep')),
});

/**
 * A readable report in the operator's language: the outcome, planned (dry run) or applied
 * counts, and the people behind held changes, failures and re-entries (the first ten of each,
 * then how many more), with times in the profile's timezone.
 */
export function printReport(
  r: RunSummary,
  d: ReportDetails,
  out: (line: string) => void,
  s: ReportStyle,
): void {
  const { t } = s;
  const max = s.maxPeople ?? 10;
  const time = (iso: string) => localTime(iso, s.timeZone, s.locale);
  const more = (n: number) => {
    if (n > max) out(t('report.more', { n: n - max, runId: r.runId }));
  };
  out(
    t('report.header', {
      runId: r.runId,
      profile: r.profileId,
      trigger: t(`trigger.${r.trigger}`),
      dry:
        (r.dryRun ? t('report.dry') : '') +
        (r.approvedRunId === undefined ? '' : t('report.approves', { runId: r.approvedRunId })),
      status: statusText(r, t),
    }),
  );
  out(
    t('report.times', {
      start: time(r.startedAt),
      end: time(r.finishedAt),
      users: r.source.users,
      departments: r.source.departments,
    }),
  );
  if (r.dryRun && r.planned !== undefined) out(t('report.planned', { ...r.planned }));
  else out(t('report.applied', { ...r.counts }));
  if (r.recovered !== undefined)
    out(t('report.recovered', { attempts: r.recovered.fromAttempts.join(', ') }));
  if (r.heldReason !== undefined) out(t('report.held', { reason: heldText(r.heldReason, t) }));
  const heldN = r.approvedRunId !== undefined ? r.held?.notApproved : r.held?.total;
  if (heldN !== undefined && heldN > 0) {
    out(t(r.approvedRunId !== undefined ? 'report.notApproved' : 'report.heldChanges', { n: heldN }));
    for (const c of d.held.slice(0, max))
      out(t('report.person', { what: t(`kind.${c.kind}`), ...personVars(c.person, t) }));
    more(heldN);
  }
  if (r.error !== undefined)
    out(t('report.error', { message: runErrorText(r.error, t), code: r.error.code }));
  if (r.counts.failed > 0) {
    out(t('report.failures', { n: r.counts.failed }));
    for (const f of d.failures.slice(0, max)) {
      out(
        t('report.failure', {
          ...personVars(f.person, t),
          action: actionText(f.action, t),
          reason: failureText(f, t),
          code: f.code,
        }),
      );
    }
    more(r.counts.failed);
  }
  const back = d.reentries;
  if (back.length > 0) {
    out(t('report.reentries', { n: r.counts.reentered }));
    for (const p of back.slice(0, max))
      out(t('report.reentry', { ...personVars(p, t), since: time(p.since) }));
    more(r.counts.reentered);
  }
  const who = ACTOR_ROLES.flatMap((k) => {
    const v = r.actors?.[k];
    return v === undefined ? [] : [`${t(`actors.${k}`)} ${v}`];
  });
  if (who.length > 0) out(t('report.actors', { who: who.join(t('notify.listSep')) }));
  for (const w of d.warnings.slice(0, max)) out(t('report.warning', { text: warningText(w, t) }));
  if (r.warningCount > max) out(t('report.moreWarnings', { n: r.warningCount - max }));
}

/** Prints a run from its summary, reading the first people of its lists (`s.maxPeople` of each). */
export async function printRun(
  history: RunHistory,
  r: RunSummary,
  out: (line: string) => void,
  s: ReportStyle,
): Promise<void> {
  printReport(r, await reportDetails(history, r, s.maxPeople ?? 10), out, s);
}
