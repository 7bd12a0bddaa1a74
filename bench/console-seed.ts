import type { RunHistory } from '../src/state/history.js';
import { seedRun, type SeedOrg } from '../test/helpers/run-seed.js';

/** Change-log entries of the initial run, a person. */
export const ENTRIES_PER_PERSON = 3;
/** The small runs between the initial run and the held one. */
const SMALL_RUNS = 98;
/** Change-log entries of a small run (a hire, a rename, a leave or so). */
const SMALL_ENTRIES = 30;

export interface SeededProfile {
  readonly initialRunId: string;
  readonly heldRunId: string;
  readonly initialEntries: number;
  readonly runs: number;
}

const HOUR = 3_600_000;

/**
 * One profile as a year of syncing leaves it: an initial run creating everyone (3 change-log
 * entries a person), 98 small runs, and a held run that would disable everyone (the newest).
 */
export async function seedProfile(
  history: RunHistory,
  org: SeedOrg,
  profileId: string,
  log: (s: string) => void,
): Promise<SeededProfile> {
  const start = Date.parse('2026-01-05T02:00:00Z');
  const initialEntries = org.users.length * ENTRIES_PER_PERSON;
  await seedRun(history, org, {
    runId: 'initial',
    profileId,
    startedAt: new Date(start),
    entries: initialEntries,
    failEvery: 500,
  });
  log(`the initial run: ${initialEntries} change-log entries`);
  for (let i = 1; i <= SMALL_RUNS; i++)
    await seedRun(history, org, {
      runId: `small-${i}`,
      profileId,
      startedAt: new Date(start + i * 24 * HOUR),
      entries: SMALL_ENTRIES,
    });
  log(`${SMALL_RUNS} small runs`);
  await seedRun(history, org, {
    runId: 'held',
    profileId,
    startedAt: new Date(start + (SMALL_RUNS + 1) * 24 * HOUR),
    held: org.users.length,
  });
  log(`the held run: ${org.users.length} disables`);
  return { initialRunId: 'initial', heldRunId: 'held', initialEntries, runs: SMALL_RUNS + 2 };
}
