import type { SimRequest, SimState } from './context.js';
import { apiError, oapiError, oapiSubError, type SimResponse } from './envelope.js';
import { API_PERMISSIONS } from './faults.js';

const CORP_ID = 'dingsimcorp0000000001';

/** Legacy token check (`?access_token=`): 40014 unknown/missing, 42001 expired, or 88 + 40014. */
export function checkOapiToken(req: SimRequest, state: SimState): SimResponse | undefined {
  const check = state.tokens.check(req.query.get('access_token'), Date.now());
  if (check === 'ok') return undefined;
  if (state.faults.tokenErrorForm === 'sub_code') return oapiSubError('40014', '不合法的access_token');
  return check === 'expired'
    ? oapiError(42001, 'access_token超时')
    : oapiError(40014, '不合法的access_token');
}

/**
 * New-API token check (header `x-acs-dingtalk-access-token`). Unconfirmed: the reference gives
 * no code for a bad token on api.dingtalk.com; `InvalidAuthentication` (HTTP 401) is used.
 */
export function checkApiToken(req: SimRequest, state: SimState): SimResponse | undefined {
  const header = req.headers['x-acs-dingtalk-access-token'];
  const check = state.tokens.check(typeof header === 'string' ? header : undefined, Date.now());
  if (check === 'ok') return undefined;
  return apiError(401, 'InvalidAuthentication', '不合法的access_token');
}

/** 60011 for an API whose permission the app lacks, in the configured form (reference §6). */
export function checkOapiPermission(req: SimRequest, state: SimState): SimResponse | undefined {
  const permission = API_PERMISSIONS[req.path];
  if (permission === undefined || !state.faults.missingApiPermissions.includes(permission)) return undefined;
  if (state.faults.permissionErrorForm === 'plain') {
    // Older form. Unconfirmed whether it names the permission; it does here, in brackets.
    return oapiError(60011, `没有调用该接口的权限，所需权限：[${permission}]`);
  }
  return oapiSubError(
    '60011',
    `应用尚未开通所需的权限：[${permission}]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=${CORP_ID}%23${permission}, {requiredScopes=[${permission}]}`,
  );
}

export function checkApiPermission(req: SimRequest, state: SimState): SimResponse | undefined {
  const permission = API_PERMISSIONS[req.path];
  if (permission === undefined || !state.faults.missingApiPermissions.includes(permission)) return undefined;
  return apiError(
    403,
    'Forbidden.AccessDenied.AccessTokenPermissionDenied',
    `没有调用该接口的权限，接口权限申请参考：${permission}`,
    {
      accessdenieddetail: { requiredScopes: [permission] },
    },
  );
}

/** Token then permission, the order DingTalk checks them in. */
export function guardOapi(req: SimRequest, state: SimState): SimResponse | undefined {
  return checkOapiToken(req, state) ?? checkOapiPermission(req, state);
}

export function guardApi(req: SimRequest, state: SimState): SimResponse | undefined {
  return checkApiToken(req, state) ?? checkApiPermission(req, state);
}
