import type { Route } from './context.js';
import { apiError } from './envelope.js';
import { guardApi } from './guards.js';

/**
 * Unconfirmed: the time format. `startTime`/`endTime` are read as ISO-8601 strings or epoch
 * milliseconds; `leaveTime` is answered as an ISO-8601 string.
 */
function timeOf(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
}

/** `GET /v1.0/contact/empLeaveRecords?startTime&endTime&nextToken&maxResults` (maxResults ≤ 50). */
export const listLeaveRecords: Route = (req, state) => {
  const denied = guardApi(req, state);
  if (denied !== undefined) return denied;
  const start = timeOf(req.query.get('startTime'));
  if (start === undefined) return apiError(400, 'InvalidParameter', 'startTime is required');
  const end = timeOf(req.query.get('endTime')) ?? Number.MAX_SAFE_INTEGER;
  const max = Number(req.query.get('maxResults') ?? '50');
  if (!Number.isInteger(max) || max < 1 || max > 50)
    return apiError(400, 'InvalidParameter', 'maxResults must be 1-50');
  const offset = Number(req.query.get('nextToken') ?? '0');
  if (!Number.isInteger(offset) || offset < 0) return apiError(400, 'InvalidParameter', 'invalid nextToken');
  const matching = state.store.leaveRecords.filter((r) => r.leaveTime >= start && r.leaveTime <= end);
  const page = matching.slice(offset, offset + max);
  const more = offset + max < matching.length;
  return {
    status: 200,
    json: {
      ...(more ? { nextToken: String(offset + max) } : {}),
      records: page.map((r) => ({
        userId: r.userId,
        name: r.name,
        ...(r.stateCode === undefined ? {} : { stateCode: r.stateCode }),
        ...(r.mobile === undefined ? {} : { mobile: r.mobile }),
        leaveTime: new Date(r.leaveTime).toISOString(),
        leaveReason: r.leaveReason,
      })),
    },
  };
};
