import { INLINE_CAP } from '../apply/outcome.js';
import type { Translate } from '../i18n/catalog.js';
import { entryPerson, type RunDepartments } from '../report/departments.js';
import type { HeldEntry, RunSummary } from '../report/summary.js';
import type { HeldChange, RunChange, RunFailure, RunReport } from '../report/types.js';
import { wordedReport } from '../report/words.js';
import type { RunHistory } from '../state/history.js';

const heldChange = (e: HeldEntry, d: RunDepartments): HeldChange => ({
  kind: e.kind,
  userid: e.userid,
  pdsUserId: e.pdsUserId,
  person: entryPerson(e, d),
});

const failureOf = (c: RunChange, d: RunDepartments): RunFailure[] =>
  c.failure === undefined
    ? []
    : [
        {
          dingtalkUserId: c.dingtalkUserId,
          pdsUserId: c.pdsUserId,
          action: c.action,
          ...c.failure,
          // a group's record names no person: its action names the department
          ...(c.dingtalkUserId === undefined && c.pdsUserId === undefined
            ? {}
            : { person: entryPerson(c, d) }),
        },
      ];

/**
 * A run as a report again, from its summary and its parts: what `--json` prints, in the shape
 * the report had before runs were stored in parts, so scripts reading `sync --json` keep
 * working. The change log and the failures hold their first INLINE_CAP (every change with
 * `allChanges`); the held changes are all of them, the summary's counts beside them.
 */
export async function storedReport(
  history: RunHistory,
  r: RunSummary,
  o: { readonly allChanges: boolean },
): Promise<RunReport> {
  const d = await history.lists.departments(r.runId);
  const first = { page: 1, pageSize: INLINE_CAP };
  const changes: RunChange[] = [];
  let changesTruncated = false;
  if (o.allChanges) for await (const c of history.lists.entries('changes', r, {}, d)) changes.push(c);
  else {
    const page = await history.lists.page('changes', r, first, d);
    changes.push(...page.items);
    changesTruncated = page.more;
  }
  const heldEntries: HeldEntry[] = [];
  if (r.held !== undefined)
    for await (const e of history.lists.entries('held', r, {}, d)) heldEntries.push(e);
  const [failures, reentries, warnings] = await Promise.all([
    history.lists.page('failures', r, first, d),
    history.reentries(r.runId),
    history.warnings(r),
  ]);
  const { held: summary, warningCount: _w, ...rest } = r;
  return {
    ...rest,
    warnings,
    changes,
    changesTruncated,
    failures: failures.items.flatMap((c) => failureOf(c, d)),
    ...(failures.more ? { failuresTruncated: true } : {}),
    ...(summary === undefined
      ? {}
      : {
          held: {
            ...summary,
            changes: heldEntries.map((e) => heldChange(e, d)),
            notApproved: heldEntries.filter((e) => e.notApproved === true).map((e) => heldChange(e, d)),
          },
        }),
    ...(reentries.length === 0 ? {} : { reentries }),
  };
}

/** A run as `--json` prints it: its stored report (above), the coded parts worded. */
export async function reportJson(
  history: RunHistory,
  r: RunSummary,
  t: Translate,
  o: { readonly allChanges: boolean },
) {
  return wordedReport(await storedReport(history, r, o), t);
}
