import type { DingTalkClient } from '../dingtalk/client.js';
import { DingTalkError } from '../errors/dingtalk-error.js';
import { problemOf } from '../report/problem.js';
import type { CheckItem } from './items.js';

/**
 * Whether the app may read DingTalk's leave records (a leaver is then disabled at once as having
 * left, else only as unexplained after the grace): a warning when not, naming the permission as
 * DingTalk's answer does. One call, one record.
 */
export async function probeLeaveRecords(client: DingTalkClient, signal?: AbortSignal): Promise<CheckItem> {
  try {
    for await (const _page of client.leaveRecords(new Date(Date.now() - 24 * 3600_000), signal, 1)) break;
    return { level: 'ok', code: 'leave_records', state: 'ok', params: {} };
  } catch (err) {
    if (!(err instanceof DingTalkError)) throw err;
    if (err.kind === 'permission')
      return {
        level: 'warn',
        code: 'leave_records',
        state: 'missing',
        params: { permission: err.permission ?? err.code },
        problem: problemOf(err),
      };
    return { level: 'warn', code: 'leave_records', state: 'fail', params: {}, problem: problemOf(err) };
  }
}
