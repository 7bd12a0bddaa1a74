import type { RedisClient } from '../redis/client.js';
import type { ChangeLog } from '../report/change-log.js';
import type { RunPeople } from '../report/people.js';
import { APPLIED_COUNTS, type AppliedCounts, type RunChange, type RunCounts } from '../report/types.js';
import { allChunks, ChunkReader, ChunkWriter, rewriteList, type ChunkListKeys } from './chunk-list.js';
import type { StateKeys } from './keys.js';
import { storedJson } from './parse-stored.js';
import { DepartmentSet, readDepartments } from './run-departments.js';
import { STORED } from './stored-shapes.js';

/** What a change-log entry counts as in its chunk's digest: a change or a failure, of its action. */
export const changeDigestKeys = (c: RunChange): readonly string[] => [
  `${c.failure === undefined ? 'c' : 'f'}:${c.action.type}`,
];

export const changeListKeys = (keys: StateKeys, runId: string): ChunkListKeys => ({
  list: keys.runChanges(runId),
  index: keys.runChangesIndex(runId),
});

export const failureListKeys = (keys: StateKeys, runId: string): ChunkListKeys => ({
  list: keys.runFailures(runId),
  index: keys.runFailuresIndex(runId),
});

/**
 * Moves a change log an older version wrote (one list, failures among the changes, no index)
 * to the current layout: its changes and its failures each in their own counted list.
 */
export async function splitOlderLog(redis: RedisClient, keys: StateKeys, runId: string): Promise<void> {
  const reader = new ChunkReader(redis, changeListKeys(keys, runId), STORED.changeChunk);
  const { list } = await reader.lengths();
  const changes: RunChange[] = [];
  const failures: RunChange[] = [];
  for await (const chunk of allChunks(reader, list))
    for (const c of chunk) (c.failure === undefined ? changes : failures).push(c);
  const m = redis.multi();
  rewriteList(m, changeListKeys(keys, runId), STORED.changeChunk, changeDigestKeys, changes);
  rewriteList(m, failureListKeys(keys, runId), STORED.changeChunk, changeDigestKeys, failures);
  await m.exec();
}

function appliedOf(c: Readonly<AppliedCounts>): AppliedCounts {
  return Object.fromEntries(APPLIED_COUNTS.map((k) => [k, c[k]])) as AppliedCounts;
}

export interface ChangeLogOptions {
  /** Which attempt of the run writes. @defaultValue 1 */
  readonly attempt?: number;
  /** Keep what earlier attempts wrote (a real run), instead of starting afresh (a dry run). */
  readonly keepEarlier?: boolean;
  /** Who each record is about: the log stores their name and departments beside it. */
  readonly people?: Pick<RunPeople, 'subject' | 'department'>;
  /** @defaultValue () => new Date() */
  readonly now?: () => Date;
}

/**
 * The run's change log while it goes, its failures in a list of their own: entries stamped with their time and named (person,
 * departments), appended in fixed-size chunks with their digests, the departments they name
 * kept beside them, and this attempt's applied counts, all in one transaction per store.
 */
export function openChangeLog(
  redis: RedisClient,
  keys: StateKeys,
  runId: string,
  o: ChangeLogOptions = {},
): ChangeLog {
  const list = changeListKeys(keys, runId);
  const failList = failureListKeys(keys, runId);
  const attemptsKey = keys.runAttempts(runId);
  const deptKey = keys.runDepartments(runId);
  const attempt = o.attempt ?? 1;
  const now = o.now ?? (() => new Date());
  const writer = new ChunkWriter<RunChange>(list, STORED.changeChunk, changeDigestKeys, attempt);
  const failWriter = new ChunkWriter<RunChange>(failList, STORED.changeChunk, changeDigestKeys, attempt);
  const departments = new DepartmentSet();
  // writes run in order; the first failure is kept (never an unhandled rejection) and
  // surfaces from flush(), so a run never ends with a silently partial log
  let failure: Error | undefined;
  const settle = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (err: unknown) => {
        failure ??= err instanceof Error ? err : new Error(String(err));
      },
    );
  const start = async () => {
    if (o.keepEarlier !== true) {
      await redis.del(list.list, list.index, failList.list, failList.index, attemptsKey, deptKey);
      return;
    }
    const lengths = await new ChunkReader(redis, list, STORED.changeChunk).lengths();
    // an earlier attempt of an older version kept one list and no index: split and count it first
    if (lengths.index !== lengths.list) await splitOlderLog(redis, keys, runId);
    writer.startAt(await redis.llen(list.list));
    failWriter.startAt(await redis.llen(failList.list));
    departments.include(await readDepartments(redis, keys, runId));
  };
  let chain: Promise<void> = settle(start());
  const push = (applied?: Readonly<RunCounts>) => {
    const write = () => {
      const m = redis.multi();
      writer.writeTo(m);
      failWriter.writeTo(m);
      departments.writeTo(m, deptKey);
      if (applied !== undefined)
        m.hset(attemptsKey, String(attempt), storedJson(STORED.attempt, appliedOf(applied)));
      return m.length > 1 ? m.exec() : Promise.resolve(null);
    };
    chain = chain.then(() => (failure === undefined ? settle(write()) : undefined));
  };
  return {
    add: (change) => {
      const subject = o.people?.subject(change) ?? {};
      if (subject.deptIds !== undefined && o.people !== undefined) departments.add(subject.deptIds, o.people);
      const w = change.failure === undefined ? writer : failWriter;
      w.add({ ...change, ...subject, at: change.at ?? now().toISOString() });
      if (w.hasFull) push();
    },
    flush: async (applied) => {
      push(applied);
      await chain;
      if (failure !== undefined) throw failure;
    },
  };
}
