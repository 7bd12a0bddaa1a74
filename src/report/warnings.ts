import type { Profile } from '../config/schema.js';
import type { HeldReason } from '../gate/held-reason.js';
import type { Params } from '../i18n/catalog.js';
import { emailAccess } from '../plan/owned-fields.js';
import type { PlanNotice } from '../plan/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { Person, ReportWarning, WarningCode } from './types.js';

/**
 * A run's warnings, stored as codes (`warning.<code>` words them at display time, in the
 * reader's language): the fields the DingTalk app may not read, the plan's notices, holds.
 */
export const warning = (code: WarningCode, params: Params = {}): ReportWarning => ({ code, params });

/** Warnings for fields the app may not read: unknown, so never cleared. */
export function permissionWarnings(source: SourceSnapshot, profile: Profile): ReportWarning[] {
  const w: ReportWarning[] = [];
  const s = profile.sync;
  if (s.syncPhone && source.fields.mobile === 'not_authorised') w.push(warning('mobile_not_authorised'));
  if (s.syncEmail && emailAccess(source.fields, s.emailField) === 'not_authorised')
    w.push(warning('email_not_authorised', { field: s.emailField }));
  return w;
}

/** A dry run that a real run's gate would hold. */
export const wouldHoldWarning = (reason: HeldReason): ReportWarning =>
  warning('would_hold', { hold: reason.code, ...reason.params });

type Noticed = Exclude<PlanNotice['kind'], 'reentered' | 'keptEnabledByAdmin'>;

/** How a report names who and where a notice is about. */
export interface NoticeNames {
  readonly person: (userid: string) => Person;
  readonly department: (deptId: number) => string;
}

/** The names an absence's warning adds: the person, and the department or the grace's end. */
function absenceParams(n: PlanNotice, names: NoticeNames | undefined): Params {
  if (names === undefined || (n.kind !== 'walkMissed' && n.kind !== 'absenceInGrace')) return {};
  const name = names.person(n.userid ?? '').name;
  return n.kind === 'walkMissed'
    ? { name, department: n.deptId === undefined ? '' : names.department(n.deptId) }
    : { name, until: n.until ?? '' };
}

/** The plan's notices as warnings, the first `cap` of them, then how many more. */
export function noticeWarnings(
  notices: readonly PlanNotice[],
  cap: number,
  names?: NoticeNames,
): ReportWarning[] {
  const shown = notices.filter(
    (n): n is PlanNotice & { kind: Noticed } => n.kind !== 'reentered' && n.kind !== 'keptEnabledByAdmin',
  );
  const w = shown.slice(0, cap).map((n) =>
    warning(n.kind, {
      userid: n.userid ?? '',
      pdsUserId: n.pdsUserId ?? '',
      deptId: n.deptId ?? '',
      groupId: n.groupId ?? '',
      ...(n.successorPdsUserId === undefined ? {} : { successorPdsUserId: n.successorPdsUserId }),
      ...(n.until === undefined ? {} : { until: n.until }),
      ...absenceParams(n, names),
    }),
  );
  if (shown.length > cap) w.push(warning('more', { n: shown.length - cap }));
  return w;
}
