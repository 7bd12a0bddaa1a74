import { Command } from 'commander';
import { runCheck, type CheckResult } from '../../check/run-check.js';
import { ExitCode } from '../../errors/exit-code.js';
import { localEgressPause, RedisEgressPause, type EgressPause } from '../../pacing/egress-pause.js';
import { RedisPacer, unpaced, type Pacer } from '../../pacing/pacer.js';
import { assertRedisReachable, producerConnection } from '../../redis/connections.js';
import { redisTargetOf } from '../../config/redis-target.js';
import { checkItemLine, wordedCheck } from '../../check/items.js';
import type { Translate } from '../../i18n/catalog.js';
import { cliLang } from '../lang.js';
import { loadFor, loggerFor, profileOf, withConfigOption } from '../context.js';
import { printJson, printLine } from '../output.js';
import { MonthlyCallCounter } from '../../quota/call-counter.js';
import { dingtalkQuota } from '../../quota/dingtalk-quota.js';
import { StateKeys } from '../../state/keys.js';

function print(r: CheckResult, t: Translate): void {
  printLine(t('check.header', { profile: r.profileId }));
  for (const i of r.items) printLine(checkItemLine(i, t));
  if (r.estimate !== undefined) {
    const e = r.estimate;
    printLine(
      t('check.estimate', {
        calls: Object.values(e.dingtalkCalls).reduce((a, b) => a + b, 0),
        dingtalkSeconds: e.dingtalkSeconds,
        pdsWrites: e.pdsWritesFirstSync,
        pdsSeconds: e.pdsSeconds,
        minutes: e.minutes,
      }),
    );
  }
  printLine(t(r.ok ? 'check.ok' : 'check.fail'));
}

/** `dtsync check <profile>`: the PDS console's config check. Exit 0 when a sync can run, 1 otherwise. */
export function checkCommand(t: Translate): Command {
  return withConfigOption(new Command('check'), t)
    .description(t('help.check'))
    .argument('<profile>', t('help.arg.profile'))
    .option('--json', t('help.opt.json'))
    .action(async (profileId: string, flags: { json?: boolean }, cmd: Command) => {
      const loaded = loadFor(cmd);
      const lang = cliLang(cmd, loaded.config);
      const { t } = lang;
      const profile = profileOf(loaded.config, profileId, lang);
      const log = loggerFor(loaded.config).child({ command: 'check' });
      // the scope walk shares the running workers' DingTalk limit when Redis is there
      let pacer: Pacer = unpaced;
      const maxWait = loaded.config.dingtalkBan.maxWaitSeconds;
      let egress: EgressPause = localEgressPause(maxWait);
      const target = redisTargetOf(loaded.config);
      const redis = await assertRedisReachable(target, 1500).then(
        () => producerConnection(target),
        () => undefined,
      );
      if (redis !== undefined) {
        pacer = new RedisPacer(redis, loaded.config.redis.prefix);
        egress = new RedisEgressPause(redis, loaded.config.redis.prefix, maxWait);
      } else log.warn("Redis is unreachable: the scope walk is paced by DingTalk's own throttling only");
      const { prefix } = loaded.config.redis;
      // the check's calls spend the organisation's monthly quota like a run's
      const counter =
        redis === undefined ? undefined : new MonthlyCallCounter(redis, new StateKeys(prefix), { log });
      try {
        const quota =
          redis === undefined || counter === undefined
            ? undefined
            : dingtalkQuota({
                redis,
                keys: new StateKeys(prefix),
                counter,
                profiles: () => loaded.config.profiles,
              });
        const result = await runCheck(profile, {
          log,
          pacer,
          egress,
          ...(redis === undefined ? {} : { redis: { client: redis, prefix } }),
          ...(quota === undefined ? {} : { quota }),
        });
        if (flags.json === true) printJson(wordedCheck(result, t));
        else print(result, t);
        process.exitCode = result.ok ? ExitCode.Ok : ExitCode.Failed;
      } finally {
        await counter?.close();
        redis?.disconnect();
      }
    });
}
