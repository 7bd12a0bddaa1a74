import { entryPerson } from '../report/departments.js';
import type { RunSummary } from '../report/summary.js';
import type { Person, RunFailure } from '../report/types.js';
import type { RunHistory } from '../state/history.js';

/** The first `n` people a held run would disable: one page of its held list, never the list. */
export async function firstDisabled(history: RunHistory, r: RunSummary, n: number): Promise<Person[]> {
  const departments = await history.lists.departments(r.runId);
  const page = await history.lists.page('held', r, { page: 1, pageSize: n, action: 'disable' }, departments);
  return page.items.map((e) => {
    const p = entryPerson(e, departments);
    return p.name === '' ? { ...p, name: p.userid } : p;
  });
}

/** The first `n` failed records of a run, each with who it is about: one page of its failures. */
export async function firstFailures(
  history: RunHistory,
  r: RunSummary,
  n: number,
): Promise<{ who: string; failure: Pick<RunFailure, 'action' | 'code' | 'kind' | 'reason' | 'params'> }[]> {
  const departments = await history.lists.departments(r.runId);
  const page = await history.lists.page('failures', r, { page: 1, pageSize: n }, departments);
  return page.items.flatMap((f) =>
    f.failure === undefined
      ? []
      : [
          {
            who: f.name ?? f.dingtalkUserId ?? f.pdsUserId ?? '',
            failure: { ...f.failure, action: f.action },
          },
        ],
  );
}
