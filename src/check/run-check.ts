import type { Profile } from '../config/schema.js';
import { DingTalkClient } from '../dingtalk/client.js';
import { DingTalkError } from '../errors/dingtalk-error.js';
import { CallStats } from '../http/call-stats.js';
import type { EgressPause } from '../pacing/egress-pause.js';
import type { Logger } from '../process/logger.js';
import type { Pacer } from '../pacing/pacer.js';
import { PdsError } from '../errors/pds-error.js';
import { checkPdsCredentials } from '../pds/check.js';
import { CLOCK_MARGIN_SECONDS, isSkewed, offsetWords } from '../pds/clock.js';
import type { Params } from '../i18n/catalog.js';
import { problemOf } from '../report/problem.js';
import { countScope } from '../source/count-scope.js';
import { estimateOf } from './estimate.js';
import type { CheckItem } from './items.js';
import { probeLeaveRecords } from './leave-records.js';
import { checkRedisScripts } from './redis-scripts.js';
import type { RedisClient } from '../redis/client.js';
import type { DingTalkQuota } from '../quota/dingtalk-quota.js';
import { quotaItem } from './quota-item.js';

export type { CheckItem, CheckLevel } from './items.js';
export { estimateOf } from './estimate.js';

export interface CheckResult {
  readonly profileId: string;
  /** True when a sync can run. */
  readonly ok: boolean;
  readonly items: readonly CheckItem[];
  readonly scope?: { departments: number; users: number };
  readonly estimate?: {
    dingtalkCalls: Record<string, number>;
    dingtalkSeconds: number;
    pdsWritesFirstSync: number;
    pdsSeconds: number;
    minutes: number;
  };
  readonly redirectUrl: string;
}

type PermissionCode = 'perm_user_count' | 'perm_department' | 'perm_member';

/** The API permissions the sync needs, each probed on its own so every missing one is named. */
async function probePermissions(
  client: DingTalkClient,
  root: number,
  signal?: AbortSignal,
): Promise<CheckItem[]> {
  const probes: [PermissionCode, () => Promise<Params>][] = [
    ['perm_user_count', async () => ({ count: await client.countUsers(signal) })],
    [
      'perm_department',
      async () => {
        await client.getDepartment(root, signal);
        return {};
      },
    ],
    [
      'perm_member',
      async () => {
        for await (const _page of client.listUsers(root, signal)) break;
        return {};
      },
    ],
  ];
  const items: CheckItem[] = [];
  for (const [code, probe] of probes) {
    try {
      items.push({ level: 'ok', code, state: 'ok', params: await probe() });
    } catch (err) {
      if (!(err instanceof DingTalkError && err.kind === 'permission')) throw err;
      items.push({
        level: 'fail',
        code,
        state: 'missing',
        params: { permission: err.permission ?? err.code },
        problem: problemOf(err),
      });
    }
  }
  return items;
}

interface FieldAccess {
  readonly mobileAuthorised: boolean;
  readonly emailAuthorised: boolean;
  readonly orgEmailAuthorised: boolean;
}

function fieldItems(profile: Profile, access: FieldAccess): CheckItem[] {
  const s = profile.sync;
  const state = (authorised: boolean, needed: boolean) => (authorised ? 'ok' : needed ? 'missing' : 'off');
  const level = (authorised: boolean, needed: boolean) => (authorised || !needed ? 'ok' : 'warn');
  const email = s.emailField === 'email' ? access.emailAuthorised : access.orgEmailAuthorised;
  return [
    {
      level: level(access.mobileAuthorised, s.syncPhone),
      code: 'field_mobile',
      state: state(access.mobileAuthorised, s.syncPhone),
      params: {},
    },
    {
      level: level(email, s.syncEmail),
      code: 'field_email',
      state: state(email, s.syncEmail),
      params: { field: s.emailField },
    },
  ];
}

/** Credentials, scope, fields, every API permission, then the real scope walk. */
async function checkDingTalk(
  profile: Profile,
  client: DingTalkClient,
  signal: AbortSignal | undefined,
  items: CheckItem[],
) {
  const scopes = await client.authScopes(signal);
  const whole = scopes.authedDepartments.includes(1);
  items.push({
    level: 'ok',
    code: 'dingtalk_credentials',
    state: 'ok',
    params: { appKey: profile.dingtalk.appKey },
  });
  items.push({
    level: 'ok',
    code: 'dingtalk_scope',
    state: whole ? 'all' : 'some',
    params: whole
      ? {}
      : {
          departments: scopes.authedDepartments.join(', ') || '-',
          users: scopes.authedUsers.length,
        },
  });
  const has = (f: string) => scopes.userFields.includes(f);
  items.push(
    ...fieldItems(profile, {
      mobileAuthorised: has('mobile'),
      emailAuthorised: has('email'),
      orgEmailAuthorised: has('org_email'),
    }),
  );
  const perms = await probePermissions(client, whole ? 1 : (scopes.authedDepartments[0] ?? 1), signal);
  items.push(...perms, await probeLeaveRecords(client, signal));
  if (perms.some((p) => p.level !== 'ok')) return undefined;
  const scope = await countScope(client, profile.sync.scope, { signal });
  items.push({
    level: 'ok',
    code: 'sync_scope',
    state: 'ok',
    params: { departments: scope.departments, users: scope.users },
  });
  return scope;
}

/**
 * This server's clock against PDS's, by the token answer's `Date`: off by more than the margin
 * fails the check when PDS refused the token (the likely cause), and warns when it was accepted.
 */
function clockItem(offsetMs: number | undefined, accepted: boolean): CheckItem {
  if (offsetMs === undefined) return { level: 'warn', code: 'clock', state: 'unknown', params: {} };
  const params = { offset: offsetWords(offsetMs), margin: CLOCK_MARGIN_SECONDS };
  if (!isSkewed(offsetMs)) return { level: 'ok', code: 'clock', state: 'ok', params };
  return { level: accepted ? 'warn' : 'fail', code: 'clock', state: 'off', params };
}

/**
 * `dtsync check`: the PDS console's config check, for one profile. Never writes anything.
 */
export async function runCheck(
  profile: Profile,
  deps: {
    log: Logger;
    pacer: Pacer;
    egress: EgressPause;
    signal?: AbortSignal;
    /** The service's Redis, when reachable: whether it runs BullMQ's scripts is checked too. */
    redis?: { readonly client: RedisClient; readonly prefix: string };
    /** DingTalk's monthly quota, when Redis is there: the check's calls count, and its month is shown. */
    quota?: DingTalkQuota;
    now?: () => Date;
  },
): Promise<CheckResult> {
  const now = deps.now ?? (() => new Date());
  const items: CheckItem[] = [];
  const redirectUrl = `https://${profile.pds.domainId}.api.aliyunpds.com/v2/oauth/callback`;
  const stats = new CallStats();
  const client = new DingTalkClient({
    settings: profile.dingtalk,
    pacer: deps.pacer,
    egress: deps.egress,
    log: deps.log,
    stats,
    monthly: deps.quota?.meter(profile),
  });
  let scope: CheckResult['scope'];
  try {
    scope = await checkDingTalk(profile, client, deps.signal, items);
  } catch (err) {
    items.push({ level: 'fail', code: 'dingtalk', state: 'fail', params: {}, problem: problemOf(err) });
  }
  try {
    const pds = await checkPdsCredentials(profile.pds, deps.log, { signal: deps.signal });
    const role = pds.role ?? 'unknown';
    items.push({
      level: role === 'superadmin' ? 'ok' : 'fail',
      code: 'pds_credentials',
      state: role === 'superadmin' ? 'ok' : 'role',
      params: { clientId: profile.pds.clientId, role },
    });
    items.push(clockItem(pds.clockOffsetMs, true));
  } catch (err) {
    items.push({
      level: 'fail',
      code: 'pds_credentials',
      state: 'fail',
      params: {},
      problem: problemOf(err),
    });
    items.push(clockItem(err instanceof PdsError ? err.clockOffsetMs : undefined, false));
  }
  items.push({ level: 'ok', code: 'redirect_url', state: 'ok', params: { url: redirectUrl } });
  if (deps.redis !== undefined) items.push(await checkRedisScripts(deps.redis.client, deps.redis.prefix));
  // the scope walk made a run's reads: until a run completes, its calls are the quota's estimate
  if (scope !== undefined) await deps.quota?.recordEstimate('check', profile.id, stats.calls(), now());
  const month = await deps.quota?.orgMonth(profile, now());
  if (month !== undefined) items.push(quotaItem(month));
  const estimate = scope === undefined ? undefined : estimateOf(profile, stats.calls(), scope);
  return {
    profileId: profile.id,
    ok: items.every((i) => i.level !== 'fail'),
    items,
    redirectUrl,
    ...(scope === undefined ? {} : { scope }),
    ...(estimate === undefined ? {} : { estimate }),
  };
}
