import { authedDepartments, bodyObject, type Route } from './context.js';
import { apiError, oapiError, requestId } from './envelope.js';
import { checkOapiToken } from './guards.js';
import { authorisedFields } from './wire-user.js';

/** `GET /gettoken?appkey&appsecret`: bad credentials are HTTP 200 + 40089. */
export const getToken: Route = (req, state) => {
  if (req.query.get('appkey') !== state.appKey || req.query.get('appsecret') !== state.appSecret) {
    return oapiError(40089, '不合法的corpId或corpSecret');
  }
  const { token, expiresIn } = state.tokens.issue(state.faults.tokenTtlSeconds, Date.now());
  return { status: 200, json: { errcode: 0, access_token: token, errmsg: 'ok', expires_in: expiresIn } };
};

/** `POST /v1.0/oauth2/accessToken` `{appKey, appSecret}`: bad credentials are HTTP 400. */
export const postAccessToken: Route = (req, state) => {
  const body = bodyObject(req);
  if (body?.appKey !== state.appKey || body.appSecret !== state.appSecret) {
    return apiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
  }
  const { token, expiresIn } = state.tokens.issue(state.faults.tokenTtlSeconds, Date.now());
  return { status: 200, json: { accessToken: token, expireIn: expiresIn } };
};

/** `GET /auth/scopes`: top-level fields, no `result`. */
export const getAuthScopes: Route = (req, state) => {
  const denied = checkOapiToken(req, state);
  if (denied !== undefined) return denied;
  const authed = authedDepartments(state);
  return {
    status: 200,
    json: {
      errcode: 0,
      errmsg: 'ok',
      auth_user_field: authorisedFields(state.faults),
      condition_field: [],
      auth_org_scopes: {
        authed_dept: authed === undefined ? [1] : [...authed],
        authed_user: [...state.faults.authedUser],
      },
      request_id: requestId(),
    },
  };
};
