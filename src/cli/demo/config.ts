import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** What the demo's config points at: the processes it started a moment ago. */
export interface DemoTargets {
  readonly redisUrl: string;
  readonly dingtalk: { readonly url: string; readonly appKey: string; readonly appSecret: string };
  readonly pds: {
    readonly url: string;
    readonly domainId: string;
    readonly clientId: string;
    readonly privateKeyPem: string;
  };
  readonly robot: { readonly webhook: string; readonly secret: string };
  readonly web: {
    readonly host: string;
    readonly port: number;
    readonly username: string;
    readonly password: string;
  };
  readonly limits: { readonly dingtalkQps: number; readonly pdsQps: number };
}

export const DEMO_PROFILE = 'demo';

/** A temp dir of the demo's own (mode 0700), removed by the caller on exit. */
export function demoDir(): string {
  return mkdtempSync(join(tmpdir(), 'dtsync-demo-'));
}

/**
 * The demo's config, written to `dir` (0600, secrets inline: the file is the demo's own and goes
 * with the dir). Its QPS equal the simulators' limits, as a real config's equal DingTalk's and PDS's.
 */
export function writeDemoConfig(dir: string, t: DemoTargets): string {
  const config = {
    redis: { url: t.redisUrl, prefix: '{dtsync-demo}' },
    web: {
      host: t.web.host,
      port: t.web.port,
      auth: { username: t.web.username, password: t.web.password },
      dashboard: { readOnly: true },
    },
    worker: { concurrency: 2, shutdownTimeoutSeconds: 10 },
    log: { level: 'warn' },
    notify: { dingtalkRobot: { webhook: t.robot.webhook, secret: t.robot.secret } },
    profiles: [
      {
        id: DEMO_PROFILE,
        dingtalk: {
          appKey: t.dingtalk.appKey,
          appSecret: t.dingtalk.appSecret,
          oapiBaseUrl: t.dingtalk.url,
          apiBaseUrl: t.dingtalk.url,
          qps: t.limits.dingtalkQps,
        },
        pds: {
          domainId: t.pds.domainId,
          baseUrl: t.pds.url,
          clientId: t.pds.clientId,
          privateKey: t.pds.privateKeyPem,
          qps: t.limits.pdsQps,
        },
        sync: {
          schedule: { mode: 'manual' },
          // six minutes, not a day: the demo's leaver without a leave record is disabled as
          // unexplained while the operator watches (the grace's own run reads them again)
          safety: { absenceGraceHours: 0.1 },
        },
      },
    ],
  };
  const path = join(dir, 'dtsync.demo.yaml');
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
