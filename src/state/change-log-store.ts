import type { RedisClient } from '../redis/client.js';
import type { ChangeLog } from '../report/change-log.js';
import type { RunPeople } from '../report/people.js';
import { APPLIED_COUNTS, type AppliedCounts, type RunChange, type RunCounts } from '../report/types.js';
import { ChunkReader, ChunkWriter, rewriteIndex, type ChunkListKeys } from './chunk-list.js';
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
 * The run's change log while it goes: entries stamped with their time and named (person,
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
  const attemptsKey = keys.runAttempts(runId);
  const deptKey = keys.runDepartments(runId);
  const attempt = o.attempt ?? 1;
  const now = o.now ?? (() => new Date());
  const writer = new ChunkWriter<RunChange>(list, STORED.changeChunk, changeDigestKeys, attempt);
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
      await redis.del(list.list, list.index, attemptsKey, deptKey);
      return;
    }
    const reader = new ChunkReader(redis, list, STORED.changeChunk);
    const lengths = await reader.lengths();
    // an earlier attempt of an older version kept no index: count its chunks first
    if (lengths.index !== lengths.list) await rewriteIndex(redis, reader, changeDigestKeys, lengths.list);
    writer.startAt(lengths.list);
    departments.include(await readDepartments(redis, keys, runId));
  };
  let chain: Promise<void> = settle(start());
  const push = (applied?: Readonly<RunCounts>) => {
    const write = () => {
      const m = redis.multi();
      writer.writeTo(m);
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
      writer.add({ ...change, ...subject, at: change.at ?? now().toISOString() });
      if (writer.hasFull) push();
    },
    flush: async (applied) => {
      push(applied);
      await chain;
      if (failure !== undefined) throw failure;
    },
  };
}
