import type { Profile } from '../../config/schema.js';
import {
  pageOfStates,
  PROFILE_STATES,
  profileStates,
  type LiveJob,
  type ProfileState,
  type StatePage,
} from '../../status/profile-states.js';
import { stateText } from '../../status/state-text.js';
import type { Translate } from '../../i18n/catalog.js';
import { profileOf } from '../context.js';
import type { Operator } from '../operator.js';
import { printJson, printLine } from '../output.js';

export interface ListFlags {
  readonly json?: boolean;
  readonly status?: readonly ProfileState[];
  readonly limit?: number;
  readonly page?: number;
  readonly summary?: boolean;
}

/** The profiles to show, in config order, and how many matched but are on other pages. */
export interface Chosen {
  readonly shown: readonly Profile[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * The profiles `dtsync status` shows: one named, or a page (`--limit` a page, `--page` which) of
 * those in `--status`'s states. Only a filter needs every profile's state, and that reads each
 * profile's newest run summary, never its changes; the full status is read for the page alone.
 */
export async function chosenProfiles(
  op: Operator,
  profileId: string | undefined,
  flags: ListFlags,
  live: ReadonlyMap<string, readonly LiveJob[]>,
): Promise<Chosen> {
  const { config } = op.loaded;
  if (profileId !== undefined)
    return { shown: [profileOf(config, profileId, op.lang)], total: 1, page: 1, pageSize: 1 };
  const pageSize = flags.limit ?? Math.max(1, config.profiles.length);
  const page = flags.page ?? 1;
  if (flags.status === undefined) {
    const start = (page - 1) * pageSize;
    const shown = config.profiles.slice(start, start + pageSize);
    return { shown, total: config.profiles.length, page, pageSize };
  }
  const rows = await profileStates(op, config.profiles, live);
  const p = pageOfStates(rows, { states: flags.status, page, pageSize });
  const byId = new Map(config.profiles.map((x) => [x.id, x]));
  return { shown: p.items.flatMap((r) => byId.get(r.id) ?? []), total: p.total, page, pageSize };
}

/** After the list: nothing matched, or which profiles the page left out. */
export function printListFooter(t: Translate, c: Chosen): void {
  if (c.total === 0) printLine(t('cli.status.none'));
  const before = (c.page - 1) * c.pageSize;
  const after = c.total - before - c.shown.length;
  if (c.shown.length > 0 && (before > 0 || after > 0))
    printLine(t('cli.status.page', { from: before + 1, to: before + c.shown.length, total: c.total }));
}

/** `dtsync status --summary`: how many profiles are in each state, and no one profile's status. */
export async function printSummary(
  op: Operator,
  live: ReadonlyMap<string, readonly LiveJob[]>,
  json: boolean,
): Promise<void> {
  const rows = await profileStates(op, op.loaded.config.profiles, live);
  const { counts, total }: StatePage = pageOfStates(rows, { states: [], page: 1, pageSize: 1 });
  if (json) {
    printJson({ total, counts });
    return;
  }
  const t = op.lang.t;
  printLine(t('cli.status.summary', { total }));
  for (const s of PROFILE_STATES) if (counts[s] > 0) printLine(`  ${stateText(t, s)} (${s}): ${counts[s]}`);
}
