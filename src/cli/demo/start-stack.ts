import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type {
  DemoWorldKit,
  DingTalkSimulator,
  PdsSimulator,
  PrivateRedis,
  RobotMessage,
} from '../load-simulators.js';
import type { Cleanup } from './cleanup.js';
import { demoDir, writeDemoConfig } from './config.js';
import { DEMO_PDS_SEED } from './pds-seed.js';

/** How big and how fast the simulated world is. */
export interface DemoWorld {
  readonly users: number;
  readonly departments: number;
  readonly seed: number;
  readonly limits: { readonly dingtalkQps: number; readonly pdsQps: number };
  /** Where the console listens: loopback unless the demo runs in a container (`--host`). */
  readonly webHost: string;
  readonly webPort: number;
  readonly allowInstall: boolean;
}

export interface DemoStack {
  readonly redis: PrivateRedis;
  readonly dingtalk: DingTalkSimulator;
  readonly pds: PdsSimulator;
  readonly configPath: string;
  /** The robot's origin (its webhook without the path and access_token). */
  readonly robotUrl: string;
  readonly login: { readonly username: string; readonly password: string };
}

/**
 * Starts the world the demo syncs: a private Redis, both simulators (PDS seeded with an admin
 * and hand-made users), a DingTalk robot that hands what it receives to `onRobot`, and the
 * config pointing at them in a temp dir. Each part's stop goes to `cleanup` as it starts. The
 * parts come from `kit` (sim/demo-world.ts, loaded by src/cli/load-simulators.ts).
 */
export async function startDemoStack(
  kit: DemoWorldKit,
  w: DemoWorld,
  cleanup: Cleanup,
  notes: { readonly note: (line: string) => void; readonly onRobot: (m: RobotMessage) => void },
): Promise<DemoStack> {
  const dir = demoDir();
  cleanup.add('temp dir', () => rm(dir, { recursive: true, force: true }));
  const redis = await kit.startPrivateRedis({ allowInstall: w.allowInstall, notify: notes.note });
  cleanup.add('redis', () => redis.stop());
  const dingtalk = await kit.startDingTalkSimulator({
    orgSpec: { seed: w.seed, users: w.users, departments: w.departments },
    qps: w.limits.dingtalkQps,
  });
  cleanup.add('dingtalk simulator', () => dingtalk.close());
  const keys = kit.generateKeyPairPem();
  const pds = await kit.startPdsSimulator({ publicKey: keys.publicKeyPem, qps: w.limits.pdsQps });
  cleanup.add('pds simulator', () => pds.close());
  pds.control.seed(DEMO_PDS_SEED);
  const robotSecret = `SEC${randomBytes(32).toString('hex')}`;
  const robot = await kit.startRobotFake(robotSecret, randomBytes(16).toString('hex'), notes.onRobot);
  cleanup.add('robot', () => robot.close());
  // a one-time password: the console's login for this demo only, gone with the temp config
  const login = { username: 'admin', password: randomBytes(12).toString('base64url') };
  const configPath = writeDemoConfig(dir, {
    redisUrl: redis.url,
    dingtalk: { url: dingtalk.url, appKey: dingtalk.appKey, appSecret: dingtalk.appSecret },
    pds: { url: pds.url, domainId: pds.domainId, clientId: pds.clientId, privateKeyPem: keys.privateKeyPem },
    robot: { webhook: robot.webhook, secret: robotSecret },
    web: { host: w.webHost, port: w.webPort, ...login },
    limits: w.limits,
  });
  return { redis, dingtalk, pds, configPath, robotUrl: new URL(robot.webhook).origin, login };
}
