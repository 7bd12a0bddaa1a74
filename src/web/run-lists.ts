import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Locale, Translate } from '../i18n/catalog.js';
import { csvDocument } from '../report/csv.js';
import type { RunDepartments } from '../report/departments.js';
import { rowOf, type ListRow } from '../report/list-rows.js';
import type { RunSummary } from '../report/summary.js';
import type { ListFilter, ListQuery, RunListName } from '../state/list-filter.js';
import type { ListPage } from '../state/run-lists.js';
import type { WebDeps } from './deps.js';

/** How a reader sees a run's lists: their words, and times in the profile's zone. */
export interface ListReader {
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
}

/** The profile's time zone, for a run's times. */
export const runTimeZone = (deps: WebDeps, run: Pick<RunSummary, 'profileId'>): string =>
  deps.config.profiles.find((p) => p.id === run.profileId)?.sync.schedule.timezone ?? 'UTC';

/** One page of a run's list, worded; with the run's departments (for the page's filter). */
export async function listPage(
  deps: WebDeps,
  run: RunSummary,
  list: RunListName,
  q: ListQuery,
  t: Translate,
): Promise<{ readonly page: ListPage<ListRow>; readonly departments: RunDepartments }> {
  const departments = await deps.history.lists.departments(run.runId);
  const page = await deps.history.lists.page(list, run, q, departments);
  return { page: { ...page, items: page.items.map(rowOf(run, departments, t)) }, departments };
}

async function* rowsOf(
  deps: WebDeps,
  run: RunSummary,
  list: RunListName,
  f: ListFilter,
  t: Translate,
): AsyncGenerator<ListRow> {
  const departments = await deps.history.lists.departments(run.runId);
  const row = rowOf(run, departments, t);
  for await (const e of deps.history.lists.entries(list, run, f, departments)) yield row(e);
}

/** Sends a run's list (this filter, every page) as a CSV download, streamed a few chunks at a time. */
export function sendCsv(
  reply: FastifyReply,
  deps: WebDeps,
  run: RunSummary,
  list: RunListName,
  f: ListFilter,
  r: ListReader,
): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="run-${run.runId}-${list}.csv"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(csvDocument(rowsOf(deps, run, list, f, r.t), r)));
}
