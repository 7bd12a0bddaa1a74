import type { Profile } from '../config/schema.js';
import { DingTalkClient } from '../dingtalk/client.js';
import { DingTalkError } from '../errors/dingtalk-error.js';
import { CallStats } from '../http/call-stats.js';
import type { Logger } from '../process/logger.js';
import { pacedQps } from '../pacing/gcra.js';
import type { Pacer } from '../pacing/pacer.js';
import { RemoteError } from '../errors/remote-error.js';
import { checkPdsCredentials } from '../pds/check.js';
import { countScope } from '../source/count-scope.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface CheckItem {
  readonly level: CheckLevel;
  readonly what: string;
  readonly detail: string;
}

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

const GRANT_WHERE =
  'grant it in the DingTalk developer console (open-dev.dingtalk.com → your app → 权限管理 / Permissions), then run check again';

/** The API permissions the sync needs, each probed on its own so every missing one is named. */
async function probePermissions(
  client: DingTalkClient,
  root: number,
  signal?: AbortSignal,
): Promise<CheckItem[]> {
  const probes: [string, () => Promise<string>][] = [
    [
      'employee count (user/count)',
      async () => `${await client.countUsers(signal)} employees in the organisation`,
    ],
    [
      'department read (通讯录管理: qyapi_get_department_list)',
      async () => {
        await client.getDepartment(root, signal);
        return 'granted';
      },
    ],
    [
      'member read (通讯录管理: qyapi_get_department_member)',
      async () => {
        for await (const _page of client.listUsers(root, signal)) break;
        return 'granted';
      },
    ],
  ];
  const items: CheckItem[] = [];
  for (const [what, probe] of probes) {
    try {
      items.push({ level: 'ok', what, detail: await probe() });
    } catch (err) {
      if (!(err instanceof DingTalkError && err.kind === 'permission')) throw err;
      items.push({
        level: 'fail',
        what,
        detail: `missing DingTalk permission ${err.permission ?? err.code}: ${GRANT_WHERE}`,
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
  const items: CheckItem[] = [];
  const field = (name: string, authorised: boolean, needed: boolean, permission: string) =>
    items.push({
      level: authorised || !needed ? 'ok' : 'warn',
      what: `field ${name}`,
      detail: authorised
        ? 'authorised'
        : `not authorised${needed ? `: ${name} will be left as it is in PDS until you grant ${permission}` : ' (not synced)'}`,
    });
  field('mobile', access.mobileAuthorised, s.syncPhone, '企业员工手机号信息 (通讯录个人信息读权限)');
  field(
    s.emailField,
    s.emailField === 'email' ? access.emailAuthorised : access.orgEmailAuthorised,
    s.syncEmail,
    '邮箱等个人信息 (通讯录个人信息读权限)',
  );
  return items;
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
    what: 'DingTalk credentials',
    detail: `appKey ${profile.dingtalk.appKey} accepted`,
  });
  items.push({
    level: 'ok',
    what: 'DingTalk authorised scope',
    detail: whole
      ? 'the whole organisation'
      : `departments ${scopes.authedDepartments.join(', ') || 'none'} and ${scopes.authedUsers.length} individual users`,
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
  items.push(...perms);
  if (perms.some((p) => p.level !== 'ok')) return undefined;
  const scope = await countScope(client, profile.sync.scope, { signal });
  items.push({
    level: 'ok',
    what: 'sync scope',
    detail: `${scope.departments} departments and ${scope.users} employees would sync`,
  });
  return scope;
}

function describeError(err: unknown): string {
  if (err instanceof RemoteError) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * `dtsync check`: the PDS console's config check, for one profile. Never writes anything.
 */
export async function runCheck(
  profile: Profile,
  deps: { log: Logger; pacer: Pacer; signal?: AbortSignal },
): Promise<CheckResult> {
  const items: CheckItem[] = [];
  const redirectUrl = `https://${profile.pds.domainId}.api.aliyunpds.com/v2/oauth/callback`;
  const stats = new CallStats();
  const client = new DingTalkClient({ settings: profile.dingtalk, pacer: deps.pacer, log: deps.log, stats });
  let scope: CheckResult['scope'];
  try {
    scope = await checkDingTalk(profile, client, deps.signal, items);
  } catch (err) {
    items.push({ level: 'fail', what: 'DingTalk', detail: describeError(err) });
  }
  try {
    const pds = await checkPdsCredentials(profile.pds, deps.log, { signal: deps.signal });
    const role = pds.role ?? 'unknown';
    items.push({
      level: role === 'superadmin' ? 'ok' : 'fail',
      what: 'PDS credentials',
      detail:
        role === 'superadmin'
          ? `JWT application ${profile.pds.clientId} accepted (role ${role})`
          : `the service token has role ${role}: the sync needs superadmin to manage users and groups`,
    });
  } catch (err) {
    items.push({ level: 'fail', what: 'PDS credentials', detail: describeError(err) });
  }
  items.push({
    level: 'ok',
    what: 'DingTalk login redirect URL',
    detail: `configure ${redirectUrl} in the DingTalk app's login settings`,
  });
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

/**
 * What a full first sync costs: the DingTalk reads the scope walk just made (the same calls a
 * run makes), and the PDS writes of a first sync (one create and up to two links per user, one
 * group per department), at the rates the pacer books for the configured limits (`pacedQps`:
 * 18 a second at DingTalk's 20).
 */
export function estimateOf(
  profile: Profile,
  calls: Record<string, number>,
  scope: { departments: number; users: number },
) {
  const dingtalkSeconds = Math.max(0, ...Object.values(calls).map((n) => n / pacedQps(profile.dingtalk.qps)));
  const pdsWritesFirstSync = scope.users * (profile.sync.syncPhone ? 3 : 2) + scope.departments;
  const pdsSeconds =
    (pdsWritesFirstSync + Math.ceil(scope.users / 100) + scope.departments) / pacedQps(profile.pds.qps);
  return {
    dingtalkCalls: calls,
    dingtalkSeconds: Math.round(dingtalkSeconds),
    pdsWritesFirstSync,
    pdsSeconds: Math.round(pdsSeconds),
    minutes: Math.ceil((dingtalkSeconds + pdsSeconds) / 60),
  };
}
