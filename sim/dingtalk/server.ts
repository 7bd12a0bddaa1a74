import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteDef, SimRequest, SimState } from './context.js';
import { takeBurst } from './burst.js';
import { takeIpBan } from './ip-ban.js';
import { takeMonthlyQuota } from './monthly-quota.js';
import { DingTalkSimControl } from './control.js';
import { Counters, QpsLimiter } from '../counters.js';
import { apiError, gatewayError, oapiError, oapiSubError, requestId, type SimResponse } from './envelope.js';
import { mergeFaults, NO_FAULTS, type FaultsPatch, type MalformedKind } from './faults.js';
import { generateOrg, type OrgSpec } from './org-generator.js';
import { OrgStore } from './org-store.js';
import type { SimOrgData } from './org-types.js';
import { mulberry32 } from '../prng.js';
import { Waits } from '../waits.js';
import { getAuthScopes, getToken, postAccessToken } from './routes-auth.js';
import { handleControl } from './routes-control.js';
import { OPEN_PATH, StreamGateway } from './stream/gateway.js';
import type { KnobsPatch } from './stream/knobs.js';
import { handleStreamControl } from './stream/routes.js';
import { getDepartment, listSub, listSubId } from './routes-departments.js';
import { listLeaveRecords } from './routes-leave.js';
import { countUsers, getUser, listSimple, listUsers } from './routes-users.js';
import { TokenStore } from './tokens.js';

const ROUTES: ReadonlyMap<string, RouteDef> = new Map<string, RouteDef>([
  ['GET /gettoken', { api: 'oapi', handler: getToken }],
  ['POST /v1.0/oauth2/accessToken', { api: 'api', handler: postAccessToken }],
  ['GET /auth/scopes', { api: 'oapi', handler: getAuthScopes }],
  ['POST /topapi/v2/department/listsub', { api: 'oapi', handler: listSub }],
  ['POST /topapi/v2/department/listsubid', { api: 'oapi', handler: listSubId }],
  ['POST /topapi/v2/department/get', { api: 'oapi', handler: getDepartment }],
  ['POST /topapi/v2/user/list', { api: 'oapi', handler: listUsers }],
  ['POST /topapi/user/listsimple', { api: 'oapi', handler: listSimple }],
  ['POST /topapi/v2/user/get', { api: 'oapi', handler: getUser }],
  ['POST /topapi/user/count', { api: 'oapi', handler: countUsers }],
  ['GET /v1.0/contact/empLeaveRecords', { api: 'api', handler: listLeaveRecords }],
]);

export interface DingTalkSimulatorOptions {
  /** @defaultValue 0 (a free port) */
  readonly port?: number | undefined;
  /** @defaultValue 127.0.0.1 */
  readonly host?: string | undefined;
  /** An explicit organisation (as `GET /_sim/org` returns it); else one generated from `orgSpec`. */
  readonly org?: SimOrgData | undefined;
  /** @defaultValue {seed: 1, users: 200, departments: 20} */
  readonly orgSpec?: OrgSpec | undefined;
  /** @defaultValue `dingsim<seed>` */
  readonly appKey?: string | undefined;
  /** @defaultValue random */
  readonly appSecret?: string | undefined;
  /** Shorthand for the `qps` fault. */
  readonly qps?: number | undefined;
  readonly faults?: FaultsPatch | undefined;
  /** Seed of fault rates and generated hires. @defaultValue orgSpec.seed, else 1 */
  readonly seed?: number | undefined;
  /** The organisation's corpId, sent in events as `eventCorpId`. @defaultValue `dingsimcorp<seed>` */
  readonly corpId?: string | undefined;
  /** The Stream gateway's timings and faults (stream/knobs.ts). */
  readonly stream?: KnobsPatch | undefined;
}

export interface DingTalkSimulator {
  /** Base URL for both `oapiBaseUrl` and `apiBaseUrl`. */
  readonly url: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly corpId: string;
  readonly control: DingTalkSimControl;
  close(): Promise<void>;
}

/** A wire-faithful DingTalk contacts API on loopback (reference: dingtalk-contacts-api.md). */
export async function startDingTalkSimulator(
  opts: DingTalkSimulatorOptions = {},
): Promise<DingTalkSimulator> {
  const spec = opts.orgSpec ?? { seed: 1, users: 200, departments: 20 };
  const seed = opts.seed ?? spec.seed;
  const store = OrgStore.from(opts.org ?? generateOrg(spec));
  const state: SimState = {
    store,
    faults: mergeFaults(NO_FAULTS, { ...opts.faults, ...(opts.qps === undefined ? {} : { qps: opts.qps }) }),
    tokens: new TokenStore(),
    appKey: opts.appKey ?? `dingsim${seed}`,
    appSecret: opts.appSecret ?? randomBytes(18).toString('base64url'),
    rng: mulberry32(seed ^ 0x5eed),
    seed,
    nextUserSeq: store.users.size,
  };
  const counters = new Counters();
  const limiter = new QpsLimiter();
  const corpId = opts.corpId ?? `dingsimcorp${seed}`;
  const stream = new StreamGateway({
    appKey: state.appKey,
    appSecret: state.appSecret,
    corpId,
    seed,
    knobs: opts.stream,
  });
  const control = new DingTalkSimControl(state, counters, stream);
  const waits = new Waits();

  const server = createServer((req, res) => {
    handle(req, state, counters, limiter, control, waits).then(
      (answer) => {
        const path = new URL(req.url ?? '/', 'http://sim').pathname;
        if (!path.startsWith('/_sim/') && 'status' in answer) counters.answered(path, answer.status);
        send(res, answer);
      },
      () => send(res, { status: 500, json: { errcode: -1, errmsg: 'simulator error' } }),
    );
  });
  server.on('upgrade', (req, socket, head: Buffer) => stream.upgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    appKey: state.appKey,
    appSecret: state.appSecret,
    corpId,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        waits.endAll();
        stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  raw: IncomingMessage,
  state: SimState,
  counters: Counters,
  limiter: QpsLimiter,
  control: DingTalkSimControl,
  waits: Waits,
): Promise<SimResponse> {
  // Stamped on arrival, before the body: the instant DingTalk's counters would see.
  const arrived = performance.now();
  const url = new URL(raw.url ?? '/', 'http://sim');
  const req: SimRequest = {
    method: raw.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: raw.headers,
    body: await readJson(raw),
  };
  if (req.path.startsWith('/_sim/stream')) return handleStreamControl(req, control.stream);
  if (req.path.startsWith('/_sim/')) return handleControl(req, control);
  if (req.path === OPEN_PATH && req.method === 'POST') return control.stream.open(req);

  counters.received(req.path, arrived);
  const route = ROUTES.get(`${req.method} ${req.path}`);
  if (route === undefined)
    return { status: 404, json: { errcode: 404, errmsg: `no API ${req.method} ${req.path}` } };

  // a ban of the caller's address comes before anything of the app or the API
  const banned = takeIpBan(state, Date.now());
  if (banned !== undefined) return banned;
  const f = state.faults;
  const limit = f.qpsByPath[req.path] ?? f.qps;
  if (limit !== null && !limiter.admit(req.path, limit, arrived)) {
    counters.throttled(req.path);
    return route.api === 'oapi'
      ? oapiSubError('90018', '当前应用调用该接口的QPS超过限制，请降低调用频率')
      : apiError(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '应用调用该接口的QPS超过限制');
  }
  const spent = takeMonthlyQuota(state, req.path, route.api);
  if (spent !== undefined) return spent;
  const burst = takeBurst(state, req.path, route.api);
  if (burst?.type === 'answer') return burst.answer;
  if (burst?.type === 'reset') return { reset: true };
  if (burst?.type === 'stall') await waits.for(burst.ms);
  if (burst?.type === 'expireTokens') control.expireTokens();
  const faulted = f.faultPaths.length === 0 || f.faultPaths.includes(req.path);
  if (faulted && f.latencyMs > 0) await waits.for(f.latencyMs);
  if (faulted && f.serverErrorRate > 0 && state.rng() < f.serverErrorRate) return gatewayError(503);
  if (faulted && route.api === 'oapi' && f.busyRate > 0 && state.rng() < f.busyRate)
    return oapiError(-1, '系统繁忙');
  if (f.malformedPaths.includes(req.path) && f.malformedTimes !== 0) {
    if (f.malformedTimes !== null) state.faults = { ...f, malformedTimes: f.malformedTimes - 1 };
    return malformed(f.malformedKind);
  }
  return route.handler(req, state);
}

function malformed(kind: MalformedKind): SimResponse {
  switch (kind) {
    case 'not_json':
      return {
        status: 200,
        text: '{"errcode":0,"errmsg":"ok","result":{"has_more":tr',
        contentType: 'application/json',
      };
    case 'not_envelope':
      return { status: 200, json: { status: 'ok', data: [] } };
    case 'wrong_shape':
      return {
        status: 200,
        json: { errcode: 0, errmsg: 'ok', result: 'unavailable', request_id: requestId() },
      };
  }
}

const MAX_BODY = 1 << 20;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, answer: SimResponse): void {
  if ('reset' in answer) {
    res.socket?.resetAndDestroy();
    return;
  }
  if ('json' in answer) {
    const body = JSON.stringify(answer.json);
    res.writeHead(answer.status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  } else {
    res.writeHead(answer.status, {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.text),
    });
    res.end(answer.text);
  }
}
