import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { producerConnection } from '../../src/redis/connections.js';
import { metricsText } from '../../src/metrics/registry.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { ROOT } from '../helpers/cli.js';
import { buildConfig } from '../helpers/profile.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const redis = testRedis();
const prefix = uniquePrefix('alert-rules');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

interface RuleFile {
  readonly groups: readonly {
    readonly rules: readonly { readonly alert: string; readonly expr: string }[];
  }[];
}

/** The metric names an expression reads (PromQL function names are not followed by `{` or a space-less name). */
function metricsNamed(expr: string): string[] {
  return [...expr.matchAll(/\b((?:dtsync|bullmq)_[a-z_]+)\b/g)].map((m) => m[1] ?? '');
}

describe('alert rules', () => {
  it('every metric the alert rules name exists in /metrics', async () => {
    const rules = parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as RuleFile;
    const named = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => metricsNamed(r.expr))));
    expect(named.size).toBeGreaterThanOrEqual(6);
    const config = buildConfig({
      redis: { prefix },
      profiles: [
        {
          id: 'acme',
          dingtalk: { appKey: 'k', appSecret: 's' },
          pds: { domainId: 'sim1', clientId: 'c', privateKey: 'unused' },
          sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 3 } },
        },
      ],
    });
    const conn = producerConnection(process.env.REDIS_URL ?? '');
    const queue = openSyncQueue(conn, prefix);
    try {
      const text = await metricsText(conn, queue, config);
      const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      for (const name of named) expect({ name, served: families.has(name) }).toEqual({ name, served: true });
    } finally {
      await queue.close();
      conn.disconnect();
    }
  });
});
