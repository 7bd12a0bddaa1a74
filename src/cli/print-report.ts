import type { Translate } from '../i18n/catalog.js';
import type { Locale } from '../i18n/catalog.js';
import { localTime } from '../i18n/time.js';
import type { Person, RunReport } from '../report/types.js';
import { actionText, failureText, heldText, runErrorText, warningText } from '../report/words.js';

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
export function statusText(r: Pick<RunReport, 'status' | 'held'>, t: Translate): string {
  if (r.status === 'held' && r.held?.resolution?.action === 'approved') return t('status.approved');
  return t(`status.${r.status}`);
}

const personVars = (p: Person | undefined, userid: string | undefined, t: Translate) => ({
  name: p?.name ?? '',
  userid: p?.userid ?? userid ?? '',
  departments: (p?.departments ?? []).join(t('notify.listSep')),
});

/**
 * A readable report in the operator's language: the outcome, planned (dry run) or applied
 * counts, and the people behind held changes, failures and re-entries (the first ten of each,
 * then how many more), with times in the profile's timezone.
 */
export function printReport(r: RunReport, out: (line: string) => void, s: ReportStyle): void {
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
  const held = r.approvedRunId !== undefined ? r.held?.notApproved : r.held?.changes;
  if (held !== undefined && held.length > 0) {
    out(t(r.approvedRunId !== undefined ? 'report.notApproved' : 'report.heldChanges', { n: held.length }));
    for (const c of held.slice(0, max))
      out(t('report.person', { what: t(`kind.${c.kind}`), ...personVars(c.person, c.userid, t) }));
    more(held.length);
  }
  if (r.error !== undefined)
    out(t('report.error', { message: runErrorText(r.error, t), code: r.error.code }));
  if (r.counts.failed > 0 || r.failures.length > 0) {
    out(t('report.failures', { n: Math.max(r.counts.failed, r.failures.length) }));
    for (const f of r.failures.slice(0, max)) {
      out(
        t('report.failure', {
          ...personVars(f.person, f.dingtalkUserId ?? f.pdsUserId, t),
          action: actionText(f.action, t),
          reason: failureText(f, t),
          code: f.code,
        }),
      );
    }
    more(Math.max(r.counts.failed, r.failures.length));
  }
  const back = r.reentries ?? [];
  if (back.length > 0) {
    out(t('report.reentries', { n: r.counts.reentered }));
    for (const p of back.slice(0, max))
      out(t('report.reentry', { ...personVars(p, p.userid, t), since: time(p.since) }));
    more(r.counts.reentered);
  }
  const who = ACTOR_ROLES.flatMap((k) => {
    const v = r.actors?.[k];
    return v === undefined ? [] : [`${t(`actors.${k}`)} ${v}`];
  });
  if (who.length > 0) out(t('report.actors', { who: who.join(t('notify.listSep')) }));
  for (const w of r.warnings.slice(0, max)) out(t('report.warning', { text: warningText(w, t) }));
  if (r.warnings.length > max) out(t('report.moreWarnings', { n: r.warnings.length - max }));
}
