import { DingTalkError } from '../errors/dingtalk-error.js';
import type { DingTalkUser, LeaveRecord } from '../dingtalk/types.js';
import { mapInLane } from '../pacing/lane.js';
import { classifyAbsence, type Confirmation, type UserAnswer } from './confirmation.js';

/** What confirming reads from DingTalk; `DingTalkClient` is the production one (paced). */
export interface AbsenceReader {
  getUser(userid: string, signal?: AbortSignal): Promise<DingTalkUser>;
  /** Leave records from `since` on, page by page. */
  leaveRecords(since: Date, signal?: AbortSignal): AsyncIterable<readonly LeaveRecord[]>;
}

export interface Confirmed {
  readonly confirmations: ReadonlyMap<string, Confirmation>;
  /** The leave records were needed (someone answered 60121) and could not be read: their code. */
  readonly leaveRecordsFailed?: { readonly code: string; readonly permission: string | undefined };
  /** `v2/user/get` calls made, and leave-record pages read. */
  readonly calls: { readonly users: number; readonly leavePages: number };
}

/**
 * Reads in flight at once: the DingTalk pacer sets the real rate, so this only covers latency.
 * Safe to change.
 */
const CONFIRM_CONCURRENCY = 8;

/**
 * Reads each absent person once (`v2/user/get`), and DingTalk's leave records once, from
 * `leaveSince`, only when someone answered 60121. A read that fails leaves that person
 * unexplained (never disabled before their grace); a failed leave-record read leaves every
 * 60121 unexplained. Only an abort of the run itself is thrown.
 */
export async function confirmAbsences(
  reader: AbsenceReader,
  userids: readonly string[],
  walked: (deptId: number) => boolean,
  o: { readonly leaveSince: Date; readonly signal: AbortSignal | undefined },
): Promise<Confirmed> {
  const answers = await mapInLane(
    userids,
    { concurrency: CONFIRM_CONCURRENCY, signal: o.signal },
    async (userid, signal): Promise<[string, UserAnswer]> => {
      try {
        return [userid, { ok: true, user: await reader.getUser(userid, signal) }];
      } catch (err) {
        if (err instanceof DingTalkError && o.signal?.aborted !== true)
          return [userid, { ok: false, error: err }];
        throw err;
      }
    },
  );
  const gone = answers.some(([, a]) => !a.ok && a.error.code === '60121');
  const leave = new Map<string, LeaveRecord>();
  let leavePages = 0;
  let leaveRecordsFailed: Confirmed['leaveRecordsFailed'];
  if (gone) {
    try {
      for await (const page of reader.leaveRecords(o.leaveSince, o.signal)) {
        leavePages++;
        for (const r of page) leave.set(r.userId, r);
      }
    } catch (err) {
      if (!(err instanceof DingTalkError) || o.signal?.aborted === true) throw err;
      leave.clear();
      leaveRecordsFailed = { code: err.code, permission: err.permission };
    }
  }
  const confirmations = new Map<string, Confirmation>(
    answers.map(([userid, a]) => [userid, classifyAbsence(userid, a, leave, walked)]),
  );
  return {
    confirmations,
    ...(leaveRecordsFailed === undefined ? {} : { leaveRecordsFailed }),
    calls: { users: userids.length, leavePages },
  };
}
