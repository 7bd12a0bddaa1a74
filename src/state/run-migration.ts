import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/client.js';
import { heldEntriesOf, summaryOf, type RunSummary } from '../report/summary.js';
import type { Person, RunChange, RunReport } from '../report/types.js';
import { changeDigestKeys, changeListKeys, failureListKeys } from './change-log-store.js';
import { allChunks, ChunkReader, rewriteList } from './chunk-list.js';
import type { StateKeys } from './keys.js';
import { heldDigestKeys } from './list-filter.js';
import { parseStored, storedJson } from './parse-stored.js';
import { heldListKeys } from './run-lists.js';
import { writeParts } from './run-parts.js';
import { STORED } from './stored-shapes.js';

/** Sets the summary only if `run:<id>` still holds the report that was migrated (its SHA-1). */
const SET_IF_UNCHANGED = `
local v = redis.call('GET', KEYS[1])
if v and redis.sha1hex(v) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** The names an older report gave beside its failures, held changes and re-entries, by DingTalk userid. */
function peopleOf(r: RunReport): Map<string, Person> {
  const people = new Map<string, Person>();
  const note = (p: Person | undefined) => {
    if (p !== undefined && p.name !== '' && !people.has(p.userid)) people.set(p.userid, p);
  };
  for (const f of r.failures) note(f.person);
  for (const c of r.held?.changes ?? []) note(c.person);
  for (const p of r.reentries ?? []) note(p);
  return people;
}

/** A log entry with the name and departments the report gave its person, where the log had none. */
function named(c: RunChange, people: ReadonlyMap<string, Person>): RunChange {
  const p = c.dingtalkUserId === undefined || c.name !== undefined ? undefined : people.get(c.dingtalkUserId);
  if (p === undefined) return c;
  return {
    ...c,
    name: p.name,
    ...(p.deptIds !== undefined ? { deptIds: p.deptIds } : { departments: p.departments }),
  };
}

/** A report's inline failures as change-log entries (a report older than the change log). */
const failureEntries = (r: RunReport): RunChange[] =>
  r.failures.map((f) => ({
    action: f.action,
    ...(f.dingtalkUserId === undefined ? {} : { dingtalkUserId: f.dingtalkUserId }),
    ...(f.pdsUserId === undefined ? {} : { pdsUserId: f.pdsUserId }),
    failure: { code: f.code, kind: f.kind, reason: f.reason, params: f.params },
  }));

/**
 * Moves a run that an older version stored whole (`run:<id>` of schema version 1 or 2) to the
 * layout of version 3, once, where it is read: its change log re-chunked and indexed (with the
 * names the report gave), its failures in a list of their own, its held changes one list, its re-entries and warnings apart, and the
 * summary in its place. The parts are written first and the summary last, only over the very
 * report read, so a reader that races another, or dies half-way, leaves a run that reads whole.
 */
export async function migrateRun(
  redis: RedisClient,
  keys: StateKeys,
  runId: string,
  raw: string,
): Promise<RunSummary> {
  const key = keys.run(runId);
  const report = parseStored(STORED.report, key, raw);
  const people = peopleOf(report);
  const list = changeListKeys(keys, runId);
  const reader = new ChunkReader(redis, list, STORED.changeChunk);
  const { list: length } = await reader.lengths();
  const entries: RunChange[] = [];
  if (length === 0) entries.push(...report.changes, ...failureEntries(report));
  else for await (const chunk of allChunks(reader, length)) entries.push(...chunk);
  const m = redis.multi();
  const all = entries.map((c) => named(c, people));
  rewriteList(
    m,
    list,
    STORED.changeChunk,
    changeDigestKeys,
    all.filter((c) => c.failure === undefined),
  );
  const failures = all.filter((c) => c.failure !== undefined);
  rewriteList(m, failureListKeys(keys, runId), STORED.changeChunk, changeDigestKeys, failures);
  if (report.held !== undefined)
    rewriteList(m, heldListKeys(keys, runId), STORED.heldChunk, heldDigestKeys, heldEntriesOf(report.held));
  writeParts(m, keys, report);
  await m.exec();
  const summary = summaryOf(report);
  const sha = createHash('sha1').update(raw).digest('hex');
  await redis.eval(SET_IF_UNCHANGED, 1, key, sha, storedJson(STORED.summary, summary));
  return summary;
}
