/**
 * The whole config schema in one file, over 250 lines on purpose: every setting, its default and
 * its doc comment read top to bottom in the order of dtsync.config.example.yaml, which is how an
 * operator looks a setting up.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { eventsSchema, streamSchema } from './events-schema.js';
import { defaultPdsBaseUrl } from './pds-domain.js';
import { msg } from './problems.js';
import { hashTagOf } from './hash-tag.js';
import { Secret } from './secret.js';

/** Marks a `${VAR}` whose variable is unset; the loader decides whether that is an error. */
export class UnsetVar {
  constructor(readonly name: string) {}
}

/**
 * A secret field: a string of at least `min` characters, or an unset variable that only some
 * commands need (its length is checked wherever it is set, so `config validate` catches it too).
 */
const secretOf = (min = 1, tooShort = msg('not_empty')) =>
  z
    .union([
      z
        .string()
        .min(1, { error: msg('not_empty') })
        .min(min, { error: tooShort }),
      z.instanceof(UnsetVar),
    ])
    .transform((v) => (v instanceof UnsetVar ? Secret.unset(v.name) : Secret.of(v)));
const secret = secretOf();

/** The console's secrets are guessable over the network: a short one is refused outright. */
export const MIN_WEB_PASSWORD = 12;
export const MIN_WEB_TOKEN = 32;
const webPassword = secretOf(MIN_WEB_PASSWORD, msg('weak_password', { min: MIN_WEB_PASSWORD }));
const webToken = secretOf(MIN_WEB_TOKEN, msg('weak_token', { min: MIN_WEB_TOKEN }));

const int = (min: number, max: number, what = msg('range', { min, max })) =>
  z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(max, { error: what });

const httpUrl = z.url({ protocol: /^https?$/, error: msg('http_url') });

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const scheduleSchema = z
  .strictObject({
    /** `manual` schedules nothing; `auto` runs at the slot below. @defaultValue manual */
    mode: z.enum(['manual', 'auto']).default('manual'),
    frequency: z.enum(['daily', 'weekly', 'monthly']).optional(),
    /** Whole local hour of the slot. */
    hour: int(0, 23).optional(),
    /** 0 (Sunday) – 6, for weekly. */
    weekday: int(0, 6).optional(),
    /** 1–31 or "last", for monthly; 29–31 run on the last day of a shorter month. */
    dayOfMonth: z.union([int(1, 31, msg('day_of_month')), z.literal('last')]).optional(),
    /** Minutes after the hour; default a stable 0–9 derived from the profile id. */
    delayMinutes: int(0, 59).optional(),
    /** IANA zone of the slot. @defaultValue Asia/Shanghai */
    timezone: z
      .string()
      .refine(isTimeZone, { error: msg('time_zone') })
      .default('Asia/Shanghai'),
  })
  .superRefine((s, ctx) => {
    if (s.mode !== 'auto') return;
    const need = (key: string, why: string) => ctx.addIssue({ code: 'custom', path: [key], message: why });
    if (s.frequency === undefined)
      need('frequency', msg('required_when_auto', { values: 'daily | weekly | monthly' }));
    if (s.hour === undefined) need('hour', msg('required_when_auto', { values: '0-23' }));
    if (s.frequency === 'weekly' && s.weekday === undefined)
      need('weekday', msg('required_when_weekly', { values: '0-6' }));
    if (s.frequency === 'monthly' && s.dayOfMonth === undefined) {
      need('dayOfMonth', msg('required_when_monthly'));
    }
  });

const scopeSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('all') }),
    z.strictObject({
      mode: z.literal('departments'),
      departmentIds: z
        .array(
          z
            .number()
            .int()
            .min(1, { error: msg('department_id') }),
        )
        .min(1, { error: msg('department_ids_empty') }),
      /** @defaultValue true */
      includeSubDepartments: z.boolean().default(true),
    }),
  ],
  { error: msg('scope_mode') },
);

const safetySchema = z.strictObject({
  /** A plan disabling (or clearing phone/email of) more managed users than this is held. @defaultValue 500 */
  maxDisableCount: int(0, 10_000_000).default(500),
  /** …or more than this percent of the managed users. @defaultValue 10 */
  maxDisablePercent: int(0, 100).default(10),
  /** A source snapshot this much smaller than the last complete one holds the whole run. @defaultValue 20 */
  maxSourceDropPercent: int(0, 100).default(20),
  /**
   * Fewer than this percent of the enabled users this profile manages found in the snapshot
   * holds the whole run: the DingTalk app likely belongs to another organisation. @defaultValue 50
   */
  minOverlapPercent: int(0, 100).default(50),
  /**
   * Hold a run that would disable anyone when the scope changed since the last complete run
   * (the configured scope, or the DingTalk app's authorised scope). @defaultValue true
   */
  holdOnScopeChange: z.boolean().default(true),
  /**
   * A profile's first run into a domain with more enabled users nobody manages than this, with
   * `adoptExisting` off, is held whole: it would give them second accounts. @defaultValue 20
   */
  maxFirstRunUnmanaged: int(0, 10_000_000).default(20),
  /** `disables`: apply the rest, hold only the risky changes; `all`: hold everything. @defaultValue disables */
  holdMode: z.enum(['disables', 'all']).default('disables'),
  /**
   * Hours an unexplained absence (gone from DingTalk with no leave record, or unreadable) waits
   * before its person is read once more and, still unexplained, disabled. Fractions allowed.
   * @defaultValue 24
   */
  absenceGraceHours: z
    .number({ error: msg('range', { min: 0, max: 8760 }) })
    .min(0, { error: msg('range', { min: 0, max: 8760 }) })
    .max(8760, { error: msg('range', { min: 0, max: 8760 }) })
    .default(24),
  /** Disables the sync may make in any rolling 24 hours, every run counted. @defaultValue maxDisableCount */
  maxDisablesPerDay: int(0, 10_000_000).optional(),
  /** …and in any rolling 7 days. @defaultValue twice maxDisablesPerDay */
  maxDisablesPerWeek: int(0, 10_000_000).optional(),
});

/** The safety settings with the disable budget's defaults filled in from the limits they follow. */
const safetyWithBudget = safetySchema.prefault({}).transform((s) => {
  const maxDisablesPerDay = s.maxDisablesPerDay ?? s.maxDisableCount;
  return { ...s, maxDisablesPerDay, maxDisablesPerWeek: s.maxDisablesPerWeek ?? 2 * maxDisablesPerDay };
});

/** A secret URL (a robot webhook holds its access_token): checked as a URL, then kept masked. */
const secretUrl = z
  .union([
    httpUrl.refine((u) => new URL(u).searchParams.get('access_token'), {
      error: msg('robot_webhook'),
    }),
    z.instanceof(UnsetVar),
  ])
  .transform((v) => (v instanceof UnsetVar ? Secret.unset(v.name) : Secret.of(v)));

/** Where alerts are pushed (issue 18); a profile's own block replaces the top-level one. */
const notifySchema = z.strictObject({
  /** A DingTalk group robot with 加签 security: its webhook URL and its SEC… secret. */
  dingtalkRobot: z.strictObject({ webhook: secretUrl, secret }).optional(),
  /** Any HTTP endpoint taking JSON; header values (tokens) are secrets. */
  webhook: z.strictObject({ url: httpUrl, headers: z.record(z.string(), secret).optional() }).optional(),
  /** Seconds one notification may take before it is counted as a timeout. @defaultValue 10 */
  timeoutSeconds: int(1, 60).default(10),
  /** Language of the messages. @defaultValue zh-CN */
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

const profileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, { error: msg('profile_id') }),
  dingtalk: z.strictObject({
    appKey: z.string().min(1, { error: msg('not_empty') }),
    appSecret: secret,
    oapiBaseUrl: httpUrl.default('https://oapi.dingtalk.com'),
    apiBaseUrl: httpUrl.default('https://api.dingtalk.com'),
    /**
     * The organisation's corpId (DingTalk's `eventCorpId`): when set, an event from another
     * organisation is refused, counted and alerted. Optional: no check without it.
     */
    corpId: z
      .string()
      .min(1, { error: msg('not_empty') })
      .optional(),
    /** @defaultValue legacy */
    tokenApi: z.enum(['legacy', 'v1']).default('legacy'),
    /** Calls per second per API, shared by every worker process. @defaultValue 20 */
    qps: z
      .number()
      .positive({ error: msg('positive') })
      .max(10_000)
      .default(20),
    /**
     * The organisation's monthly call quota of DingTalk's metered (计量) APIs (额度, as the
     * 90020 answer states it). With it, `dtsync check`, the status page and /metrics show the
     * month's use against it and the use projected at the current schedule, an alert fires at
     * 80 %, and a run whose estimate would pass it is held (`held.code: quota`). Every profile of
     * the organisation (the same `corpId`, else the same app) must set the same value. Without
     * it the month's calls are still counted and shown. @defaultValue none
     */
    monthlyQuota: int(1, 100_000_000).optional(),
    /**
     * The API paths the quota counts (e.g. `/topapi/v2/user/list`). DingTalk does not publish
     * which APIs are metered in one place (older pages say the contacts and token APIs are
     * not), so the default counts every call the sync makes; narrow it to what your quota page
     * or DingTalk support names. Profiles of one organisation must agree.
     * @defaultValue every DingTalk call of the sync
     */
    meteredApis: z
      .array(z.string().regex(/^\/[A-Za-z0-9/._-]*$/, { error: msg('api_path') }))
      .min(1, { error: msg('api_paths_empty') })
      .optional(),
  }),
  pds: z
    .strictObject({
      domainId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: msg('domain_id') }),
      baseUrl: httpUrl.optional(),
      clientId: z.string().min(1, { error: msg('not_empty') }),
      privateKeyFile: z.string().min(1).optional(),
      privateKey: secret.optional(),
      /** Calls per second to this domain, shared by every worker process. @defaultValue 50 */
      qps: z
        .number()
        .positive({ error: msg('positive') })
        .max(100_000)
        .default(50),
    })
    .superRefine((p, ctx) => {
      const both = p.privateKeyFile !== undefined && p.privateKey !== undefined;
      const none = p.privateKeyFile === undefined && p.privateKey === undefined;
      if (both || none) {
        ctx.addIssue({
          code: 'custom',
          path: ['privateKeyFile'],
          message: msg('one_key'),
        });
      }
    })
    .transform((p) => ({ ...p, baseUrl: p.baseUrl ?? defaultPdsBaseUrl(p.domainId) })),
  sync: z
    .strictObject({
      enabled: z.boolean().default(true),
      scope: scopeSchema.default({ mode: 'all' }),
      syncPhone: z.boolean().default(true),
      syncEmail: z.boolean().default(true),
      emailField: z.enum(['email', 'org_email']).default('email'),
      dingIdentity: z.enum(['unionid', 'userid']).default('unionid'),
      adoptExisting: z.enum(['off', 'ding', 'email', 'phone']).default('off'),
      schedule: scheduleSchema.prefault({}),
      safety: safetyWithBudget,
    })
    .prefault({}),
  notify: notifySchema.optional(),
  /** Contact events over Stream mode (docs/events.md); off unless `enabled`. */
  events: eventsSchema.prefault({}),
});

const webTokenSchema = z.strictObject(
  {
    /** Recorded as who acted when a request carries this token. */
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, { error: msg('token_name') }),
    token: webToken,
  },
  // a bare token string is the likely mistake: say what an entry is
  { error: (issue) => (issue.code === 'invalid_type' ? msg('token_entry') : undefined) },
);

const webAuthSchema = z.union(
  [
    z.literal('none'),
    z
      .strictObject({
        username: z
          .string()
          .min(1, { error: msg('not_empty') })
          .optional(),
        password: webPassword.optional(),
        /** Bearer tokens for scripts; each is a secret, like the password. */
        tokens: z.array(webTokenSchema).optional(),
      })
      .superRefine((a, ctx) => {
        if ((a.username === undefined) !== (a.password === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['password'], message: msg('username_password') });
        }
        if (a.password === undefined && (a.tokens ?? []).length === 0) {
          ctx.addIssue({
            code: 'custom',
            message: msg('auth_missing'),
          });
        }
      }),
  ],
  { error: msg('auth_shape') },
);

/** An address or CIDR range, or one of proxy-addr's names for the private ranges. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(value: string): boolean {
  if (PROXY_NAMES.has(value)) return true;
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
const proxyAddress = z.string().refine(isProxyAddress, { error: msg('proxy_address') });

/** A DNS name as a Host header carries it (no scheme, no port); `_` for container names. */
const hostName = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { error: msg('host_name') })
  .transform((h) => h.toLowerCase());

const webSchema = z.strictObject({
  /** Address to listen on. @defaultValue 127.0.0.1 */
  host: z.string().min(1).default('127.0.0.1'),
  /** @defaultValue 8080 */
  port: int(1, 65535).default(8080),
  /** The URL people reach the console at, used in links; default http://host:port. */
  publicUrl: httpUrl.optional(),
  /**
   * Which proxies' X-Forwarded-Proto/-Host/-For count: true (any peer), or the proxies' addresses
   * and CIDR ranges. No hop count: it cannot tell the proxy from a client that reaches the port
   * directly (fastify refuses it for that reason). @defaultValue false
   */
  trustProxy: z
    .union([z.boolean(), z.array(proxyAddress).min(1)], { error: msg('trust_proxy') })
    .default(false),
  /** Host names besides publicUrl's, localhost and IP literals the console answers to. */
  allowedHosts: z.array(hostName).optional(),
  /** Bearer token Prometheus presents at /metrics, so it needs no admin password (a secret). */
  metricsToken: webToken.optional(),
  auth: webAuthSchema,
  dashboard: z
    .strictObject({
      /** The queue dashboard can retry, promote and clean jobs only when false. @defaultValue true */
      readOnly: z.boolean().default(true),
    })
    .prefault({}),
});

/** A Redis server's address: a sentinel, or a Cluster's seed node. */
const redisNode = z.strictObject({
  host: z.string().min(1, { error: msg('not_empty') }),
  port: int(1, 65535),
});

/** Where Redis is: one URL, a Sentinel set, or a Cluster; at most one of the three. */
const redisSchema = z
  .strictObject({
    /** One Redis; `REDIS_URL` overrides it. @defaultValue redis://127.0.0.1:6379 (without sentinel or cluster) */
    url: z
      .string()
      .regex(/^rediss?:\/\//, { error: msg('redis_url') })
      .optional(),
    /** A master found through Redis Sentinel, followed across failovers (ioredis's Sentinel client). */
    sentinel: z
      .strictObject({
        /** The sentinels to ask; any one that answers is enough. */
        sentinels: z.array(redisNode).min(1, { error: msg('redis_nodes') }),
        /** The master group's name, as in `sentinel monitor <name> …`. */
        name: z.string().min(1, { error: msg('not_empty') }),
        /** The master's password (its `requirepass`; the replicas' too). */
        password: secret.optional(),
        /** The sentinels' own password, when they have one. */
        sentinelPassword: secret.optional(),
      })
      .optional(),
    /** A Redis Cluster, reached through its seed nodes (ioredis's Cluster client). */
    cluster: z
      .strictObject({
        /** Some of its nodes; the client learns the others from the cluster itself. */
        nodes: z.array(redisNode).min(1, { error: msg('redis_nodes') }),
        /** The nodes' password (their `requirepass`). */
        password: secret.optional(),
      })
      .optional(),
    /** Key prefix; its {hash tag} keeps every key in one Redis Cluster slot. @defaultValue {dtsync} */
    prefix: z.string().min(1).default('{dtsync}'),
  })
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (r.sentinel !== undefined && r.cluster !== undefined)
      issue('cluster', msg('redis_sentinel_and_cluster'));
    const mode = r.sentinel !== undefined ? 'sentinel' : r.cluster !== undefined ? 'cluster' : undefined;
    if (mode !== undefined && r.url !== undefined) issue('url', msg('redis_url_and_mode', { mode }));
    // BullMQ's scripts touch many keys of a queue: on a Cluster they must all share one slot
    if (r.cluster !== undefined && hashTagOf(r.prefix) === undefined)
      issue('prefix', msg('redis_hash_tag', { example: '{dtsync}' }));
  });

/** How sync runs are retried: the one place their defaults live (src/queue/queue.ts reads them). */
export const runsSchema = z
  .strictObject({
    /** Attempts of a run that fails for a transient cause (a permanent one fails at once). @defaultValue 4 */
    attempts: int(1, 20).default(4),
    /** Seconds before the second attempt; each later one waits twice as long. @defaultValue 30 */
    backoffSeconds: int(1, 3600).default(30),
  })
  .prefault({});

export const configSchema = z.strictObject({
  redis: redisSchema.prefault({}),
  /** The web role (status console, queue dashboard, admin API); `dtsync web` refuses to start without it. */
  web: webSchema.optional(),
  /** Language of the console (and later the CLI and notifications). @defaultValue zh-CN */
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  worker: z
    .strictObject({
      /** Profiles run in parallel per process (never two runs of one profile). @defaultValue 4 */
      concurrency: int(1, 64).default(4),
      /** Seconds a shutting-down worker waits for its active runs. @defaultValue 30 */
      shutdownTimeoutSeconds: int(1, 3600).default(30),
      /**
       * Seconds a run's locks live without renewal: how soon another worker takes over the run
       * of a worker that died (BullMQ's job lock and the per-profile lock). @defaultValue 30
       */
      lockSeconds: int(2, 600).default(30),
    })
    .prefault({}),
  scheduler: z
    .strictObject({
      /** A slot missed by at most this many hours is run once when a scheduler starts. @defaultValue 6 */
      catchUpHours: int(0, 24).default(6),
    })
    .prefault({}),
  runs: runsSchema,
  wait: z
    .strictObject({
      /** Seconds between the checks of `--wait` that the followed run still exists. @defaultValue 5 */
      checkSeconds: int(1, 5).default(5),
      /** Seconds `--wait` goes on without Redis before it gives up with exit code 7. @defaultValue 30 */
      redisLossSeconds: int(1, 3600).default(30),
    })
    .prefault({}),
  dingtalkBan: z
    .strictObject({
      /**
       * DingTalk's per-IP ban (`{"status":1111,"wait":N}` or its HTML page) pauses every DingTalk
       * call of this deployment, for all profiles and roles. A pause that would last longer than
       * this many seconds in all fails the run as `dingtalk.ip_banned` (its job retries as usual).
       * @defaultValue 300
       */
      maxWaitSeconds: int(1, 86_400).default(300),
    })
    .prefault({}),
  history: z
    .strictObject({
      /** Runs kept per profile. @defaultValue 100 */
      keepRuns: int(1, 10_000).default(100),
    })
    .prefault({}),
  log: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') })
    .prefault({}),
  notify: notifySchema.optional(),
  /** The events role's Stream connections (one per DingTalk app). */
  stream: streamSchema.prefault({}),
  profiles: z.array(profileSchema).min(1, { error: msg('no_profiles') }),
});

export type Config = z.output<typeof configSchema>;
export type Profile = Config['profiles'][number];
export type SyncSettings = Profile['sync'];
export type Schedule = SyncSettings['schedule'];
export type Scope = SyncSettings['scope'];
export type Safety = SyncSettings['safety'];
export type WebSettings = NonNullable<Config['web']>;
export type WebAuth = WebSettings['auth'];
export type Locale = Config['locale'];
export type { EventsSettings, StreamSettings } from './events-schema.js';
export type NotifySettings = z.output<typeof notifySchema>;
