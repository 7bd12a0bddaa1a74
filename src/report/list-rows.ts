import { isMessageKey, type Translate } from '../i18n/catalog.js';
import type { RunDepartments } from './departments.js';
import type { HeldEntry, RunSummary } from './summary.js';
import type { RunChange } from './types.js';
import { actionText, failureText, heldText } from './words.js';

/** One changed field, named in the reader's language. */
export interface RowField {
  /** The field as stored (`nick_name`, `phone`, …). */
  readonly field: string;
  readonly label: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
}

/**
 * One entry of a run's list as the page, the API, the CLI and the CSV show it: its codes kept,
 * its words in the reader's language, departments as paths. Phones and emails were masked when
 * the entry was stored.
 */
export interface ListRow {
  /** When it was recorded (ISO); for a held change, when the run ended. */
  readonly at: string | undefined;
  /** The action's type, or the held change's kind. */
  readonly action: string;
  readonly actionText: string;
  /** The person's name, or a group's. */
  readonly name: string;
  readonly dingtalkUserId: string;
  readonly pdsUserId: string;
  /** Department paths (`总部 / 研发`). */
  readonly departments: readonly string[];
  readonly fields: readonly RowField[];
  /** Why: a failure's reason, or a held change's hold. */
  readonly reason?: { readonly code: string; readonly text: string };
  /** A held change an approval did not cover. */
  readonly notApproved?: boolean;
}

/** A field's name in the reader's words (`field.<name>`), or as stored when the catalog has none. */
export function fieldLabel(field: string, t: Translate): string {
  const key = `field.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** A field's value: a status worded, anything else as stored. */
function fieldValue(field: string, v: string | undefined, t: Translate): string | undefined {
  if (field !== 'status' || v === undefined) return v;
  const key = `fieldValue.${v}`;
  return isMessageKey(key) ? t(key) : v;
}

const rowFields = (fields: RunChange['fields'], t: Translate): RowField[] =>
  Object.entries(fields ?? {}).map(([field, [before, after]]) => ({
    field,
    label: fieldLabel(field, t),
    before: fieldValue(field, before, t),
    after: fieldValue(field, after, t),
  }));

const paths = (
  e: {
    readonly deptIds?: readonly number[] | undefined;
    readonly departments?: readonly string[] | undefined;
  },
  d: RunDepartments,
) => e.deptIds?.map((id) => d.label(id)) ?? e.departments ?? [];

/**
 * A change's action in the reader's words. A renamed group is named by its department's path
 * when the run saw the department (PDS's group id means nothing to an operator).
 */
function changeText(c: RunChange, d: RunDepartments, t: Translate): string {
  const dept = c.deptIds?.[0];
  if (c.action.type !== 'renameGroup' || dept === undefined || !d.has(dept)) return actionText(c.action, t);
  return t('report.reasonDetail', {
    kind: t('action.renameGroup'),
    detail: `${d.label(dept)} → “${c.action.name}”`,
  });
}

/** A change-log entry (a change or a failure). */
export function changeRow(c: RunChange, d: RunDepartments, t: Translate): ListRow {
  const groupName = 'name' in c.action ? c.action.name : '';
  return {
    at: c.at,
    action: c.action.type,
    actionText: changeText(c, d, t),
    name: c.name ?? groupName,
    dingtalkUserId: c.dingtalkUserId ?? '',
    pdsUserId: c.pdsUserId ?? '',
    departments: paths(c, d),
    fields: rowFields(c.fields, t),
    ...(c.failure === undefined
      ? {}
      : { reason: { code: c.failure.code, text: `${failureText(c.failure, t)} (${c.failure.code})` } }),
  };
}

/** What a held change would change, field by field. */
const HELD_FIELDS: Readonly<Record<HeldEntry['kind'], RunChange['fields']>> = {
  disable: { status: ['enabled', 'disabled'] },
  clearPhone: { phone: [undefined, ''] },
  clearEmail: { email: [undefined, ''] },
};

/** A held change, with the run's hold as its reason. */
export function heldRow(
  e: HeldEntry,
  run: Pick<RunSummary, 'finishedAt' | 'heldReason'>,
  d: RunDepartments,
  t: Translate,
): ListRow {
  return {
    at: run.finishedAt,
    action: e.kind,
    actionText: t(`kind.${e.kind}`),
    name: e.name ?? '',
    dingtalkUserId: e.userid,
    pdsUserId: e.pdsUserId,
    departments: paths(e, d),
    fields: rowFields(HELD_FIELDS[e.kind], t),
    ...(run.heldReason === undefined
      ? {}
      : {
          reason: {
            code: run.heldReason.code,
            text: heldText(run.heldReason, t) + (e.notApproved === true ? ` (${t('list.notApproved')})` : ''),
          },
        }),
    ...(e.notApproved === true ? { notApproved: true } : {}),
  };
}

/** The row of any list entry: a change-log entry, or a held change of `run`. */
export function rowOf(
  run: Pick<RunSummary, 'finishedAt' | 'heldReason'>,
  d: RunDepartments,
  t: Translate,
): (e: HeldEntry | RunChange) => ListRow {
  return (e) => ('action' in e ? changeRow(e, d, t) : heldRow(e, run, d, t));
}
