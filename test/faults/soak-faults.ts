import { dropPrefix } from '../helpers/redis.js';
import type { Cell } from './cell.js';
import { FAST } from './engine.js';
import { cliSync, KILLED_WORKER_LOCK_SECONDS, spawnWorker, waitFor, writeFaultConfig } from './procs.js';

/**
 * The soak's faults: every fault of the matrix that is ridden out or held and converges today,
 * a wiped Redis, and kill -9 of a real worker mid-apply. Left out: faults whose end state needs a
 * person to act (a write failing every retry, a phone a hand-made user holds, a malformed write,
 * another organisation's app), which the matrix covers cell by cell.
 */

const USER_LIST = '/topapi/v2/user/list';
const LIST_SUB = '/topapi/v2/department/listsub';

export interface Fault {
  /** How the run under it may end. */
  readonly ends: readonly string[];
  /** The run fails before apply: it must not write. */
  readonly noWrite?: boolean;
  readonly inject: (c: Cell, rng: () => number) => unknown;
  /** The fault run itself, when it is not a plain in-process run. */
  readonly run?: (c: Cell) => Promise<{ status: string; failed: boolean }>;
}

const topOf = (c: Cell, rng: () => number) => {
  const tops = c.org().departments.filter((d) => d.parent_id === 1);
  return tops[Math.floor(rng() * tops.length)]?.dept_id ?? 1;
};

const ok = ['succeeded'];
export const FAULTS: Readonly<Record<string, Fault>> = {
  'dingtalk 90018 burst': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'throttle', after: 3, count: 5, paths: [USER_LIST] },
      }),
  },
  'dingtalk 90002 ban': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'ban', after: 2, count: 3, paths: [LIST_SUB] } }),
  },
  'dingtalk -1 busy': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'busy', after: 2, count: 2, paths: [] } }),
  },
  'dingtalk -1 busy lasting': {
    ends: ['failed'],
    noWrite: true,
    inject: (c, rng) => c.env.dingtalk.control.setFaults({ failUserListDepts: [topOf(c, rng)] }),
  },
  'dingtalk 5xx': { ends: ok, inject: (c) => c.env.dingtalk.control.setFaults({ serverErrorRate: 0.1 }) },
  'dingtalk connection reset': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'reset', after: 3, count: 2, paths: [] } }),
  },
  'dingtalk stall past the timeout': {
    ends: ok,
    inject: (c) => {
      c.timing = { ...FAST, dingtalkTimeoutMs: 1500 };
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'stall', after: 2, count: 1, paths: [USER_LIST], stallMs: 3000 },
      });
    },
  },
  'dingtalk token expiry mid-walk': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'expireTokens', after: 4, count: 1, paths: [] } }),
  },
  'dingtalk 60011 mid-walk': {
    ends: ['failed'],
    noWrite: true,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'permission', after: 4, count: 10_000, paths: [USER_LIST] },
      }),
  },
  'dingtalk malformed JSON': {
    ends: ['failed'],
    noWrite: true,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ malformedPaths: [USER_LIST], malformedKind: 'not_json' }),
  },
  'dingtalk mobile permission revoked': {
    ends: ok,
    inject: (c) => c.env.dingtalk.control.setFaults({ missingFieldPermissions: ['phone'] }),
  },
  // a sustained storm: once the org has grown, some writes use up their 5 attempts and are
  // reported as record errors (the second 30-minute soak); the next run must still converge
  // Held whole by the scope guard (scope_changed) however few people the narrowing hides.
  'dingtalk app scope narrowed': {
    ends: ['held', 'succeeded'],
    inject: (c, rng) => c.env.dingtalk.control.setFaults({ authedDept: [topOf(c, rng)] }),
  },
  'pds 429 storm': {
    ends: ['succeeded', 'succeeded_with_errors'],
    inject: (c) => {
      c.timing = { ...FAST, pdsRetry: { ...FAST.pdsRetry, throttleDelayMs: { min: 500, max: 1500 } } };
      c.env.pds.control.setFaults({ qps: 40 });
    },
  },
  'pds 5xx and gateway errors': {
    ends: ok,
    inject: (c, rng) =>
      c.env.pds.control.setFaults({
        errorRate: { rate: 0.05, status: 503, paths: null, seed: Math.floor(rng() * 1e6) },
        gatewayError: { count: 4, paths: null, status: 502 },
      }),
  },
  'pds lost response': {
    ends: ok,
    inject: (c) => c.env.pds.control.setFaults({ failAfterApply: { count: 6, paths: null } }),
  },
  'pds token expiry mid-apply': {
    ends: ok,
    inject: (c) => c.env.pds.control.setFaults({ expireTokensAfterWrites: { writes: 4 } }),
  },
  'pds malformed JSON on a read': {
    ends: ['failed'],
    noWrite: true,
    inject: (c) => c.env.pds.control.setFaults({ malformed: { count: 1, paths: ['/v2/user/list'] } }),
  },
  'pds validation error on one record': {
    ends: ['succeeded', 'succeeded_with_errors'],
    inject: (c) =>
      c.env.pds.control.setFaults({
        inject: {
          count: 1,
          paths: ['/v2/user/create', '/v2/user/update'],
          status: 400,
          code: 'InvalidParameter.NickName',
        },
      }),
  },
  'config scope narrowed by mistake': {
    ends: ['held'],
    noWrite: true,
    inject: () => undefined,
    run: async (c) => {
      const departmentIds = [c.departmentHolding(0.5)];
      const r = await c.run(c.env.profile({ sync: { scope: { mode: 'departments', departmentIds } } }));
      return { status: r.status, failed: r.failures.length > 0 };
    },
  },
  'redis wiped': { ends: ok, inject: (c) => dropPrefix(c.env.redis, c.env.prefix) },
  'worker kill -9 in apply': {
    ends: ok,
    inject: () => undefined,
    run: async (c) => {
      for (let i = 0; i < 20; i++) c.env.dingtalk.control.mutate({ op: 'hire', dept_id_list: [1] });
      const url = process.env.REDIS_URL ?? '';
      const cfg = writeFaultConfig(c, { lockSeconds: KILLED_WORKER_LOCK_SECONDS });
      c.env.pds.control.setFaults({ latencyMs: 25 });
      const a = spawnWorker(c, cfg, url, 'worker-a');
      const created = () => c.env.pds.control.counters().writes['/v2/user/create'] ?? 0;
      const c0 = created();
      const cli = cliSync(c, cfg, url);
      await waitFor(() => created() - c0 >= 3, 'the first creates', 120_000);
      a.proc.kill('SIGKILL');
      await a.exited;
      c.env.pds.control.setFaults({ latencyMs: 0 });
      const b = spawnWorker(c, cfg, url, 'worker-b');
      const out = await cli;
      b.proc.kill('SIGTERM');
      await b.exited;
      return { status: out.report?.status ?? `exit ${String(out.code)}`, failed: false };
    },
  },
};
