import type { Redis } from 'ioredis';
import type { Profile } from '../../src/config/schema.js';
import { runSync, type EngineDeps, type RunRequest } from '../../src/engine/run-sync.js';
import { createLogger, type Logger } from '../../src/process/logger.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer, unpaced } from '../../src/pacing/pacer.js';
import { createPdsClient } from '../../src/pds/client.js';
import type { PdsApi } from '../../src/pds/types.js';
import type { RunReport } from '../../src/report/types.js';
import {
  startDingTalkSimulator,
  type DingTalkSimulator,
  type DingTalkSimulatorOptions,
} from '../../sim/dingtalk/server.js';
import { generateKeyPairPem, startPdsSimulator, type PdsSimulator } from '../../sim/pds/index.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { MonthlyCallCounter } from '../../src/quota/call-counter.js';
import { dingtalkQuota, type DingTalkQuota } from '../../src/quota/dingtalk-quota.js';
import { buildConfig, type ProfileInput } from './profile.js';
import { dropPrefix, testRedis, uniquePrefix } from './redis.js';

/** A key pair made once per test process (RSA generation is slow). */
let keys: { privateKeyPem: string; publicKeyPem: string } | undefined;
export function testKeyPair() {
  keys ??= generateKeyPairPem();
  return keys;
}

export interface SimEnv {
  readonly dingtalk: DingTalkSimulator;
  readonly pds: PdsSimulator;
  readonly redis: Redis;
  readonly prefix: string;
  readonly log: Logger;
  /** A profile pointing at both simulators, with overrides. */
  profile(input?: ProfileInput): Profile;
  /** PDS as an admin in the console sees it: for changes made by hand between runs. */
  readonly admin: PdsApi;
  /** DingTalk's monthly quota as the workers keep it, over the profiles made by `profile()`. */
  readonly quota: DingTalkQuota;
  /** One run through the real engine and real clients (no queue); `plan` wraps the planner. */
  run(
    profile: Profile,
    req?: Partial<Omit<RunRequest, 'profile'>>,
    extra?: Pick<EngineDeps, 'plan' | 'now'>,
  ): Promise<RunReport>;
  close(): Promise<void>;
}

let runCounter = 0;

export async function startSims(
  opts: {
    dingtalk?: DingTalkSimulatorOptions;
    pdsQps?: number;
    /** The simulated PDS's clock (a server whose clock is off ours). @defaultValue Date.now */
    pdsNow?: () => number;
    name?: string;
  } = {},
): Promise<SimEnv> {
  const kp = testKeyPair();
  const dingtalk = await startDingTalkSimulator(opts.dingtalk ?? {});
  const pds = await startPdsSimulator({
    publicKey: kp.publicKeyPem,
    ...(opts.pdsQps === undefined ? {} : { qps: opts.pdsQps }),
    ...(opts.pdsNow === undefined ? {} : { now: opts.pdsNow }),
  });
  const redis = testRedis();
  const prefix = uniquePrefix(opts.name ?? 'e2e');
  const log = createLogger({ level: 'silent', destination: process.stderr });
  const made = new Map<string, Profile>();
  const counter = new MonthlyCallCounter(redis, new StateKeys(prefix), { log });
  const quota = dingtalkQuota({
    redis,
    keys: new StateKeys(prefix),
    counter,
    profiles: () => [...made.values()],
  });
  const build = (input: ProfileInput = {}): Profile => {
    const config = buildConfig({
      redis: { prefix },
      profiles: [
        {
          id: input.id ?? 'acme',
          dingtalk: {
            appKey: dingtalk.appKey,
            appSecret: dingtalk.appSecret,
            oapiBaseUrl: dingtalk.url,
            apiBaseUrl: dingtalk.url,
            qps: 500,
            ...input.dingtalk,
          },
          pds: {
            domainId: pds.domainId,
            baseUrl: pds.url,
            clientId: pds.clientId,
            privateKey: kp.privateKeyPem,
            qps: 1000,
            ...input.pds,
          },
          sync: { ...input.sync },
        },
      ],
    });
    const p = config.profiles[0];
    if (p === undefined) throw new Error('no profile');
    return p;
  };
  /** The tests' profiles: the quota's organisations are theirs (the admin's is none). */
  const profile = (input: ProfileInput = {}): Profile => {
    const p = build(input);
    made.set(p.id, p);
    return p;
  };
  const run = (
    p: Profile,
    req: Partial<Omit<RunRequest, 'profile'>> = {},
    extra: Pick<EngineDeps, 'plan' | 'now'> = {},
  ): Promise<RunReport> => {
    const engineFor = engineFactory({
      keepRuns: 100,
      redis,
      keys: new StateKeys(prefix),
      pacer: new RedisPacer(redis, prefix),
      egress: new RedisEgressPause(redis, prefix, 300),
      log,
      quota,
    });
    return runSync(
      {
        runId: req.runId ?? `run${++runCounter}`,
        trigger: req.trigger ?? 'manual',
        dryRun: req.dryRun ?? false,
        deep: req.deep ?? false,
        approvedRunId: req.approvedRunId,
        profile: p,
      },
      { ...engineFor(p, new AbortController().signal, () => undefined), ...extra },
    );
  };
  const admin = createPdsClient({ settings: build().pds, pacer: unpaced, log });
  return {
    dingtalk,
    pds,
    admin,
    redis,
    prefix,
    log,
    profile,
    run,
    quota,
    async close() {
      await counter.close();
      await Promise.all([dingtalk.close(), pds.close()]);
      await dropPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
