import { Command } from 'commander';
import { redisUrlOf } from '../../config/load.js';
import { runCheck, type CheckResult } from '../../check/run-check.js';
import { ExitCode } from '../../process/exit-codes.js';
import { RedisPacer, unpaced, type Pacer } from '../../pacing/pacer.js';
import { assertRedisReachable, producerConnection } from '../../redis/connections.js';
import { loadFor, loggerFor, profileOf, withConfigOption } from '../context.js';
import { printJson, printLine } from '../output.js';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

function print(r: CheckResult): void {
  printLine(`config check of profile ${r.profileId}:`);
  for (const i of r.items) printLine(`  ${MARK[i.level]} ${i.what}: ${i.detail}`);
  if (r.estimate !== undefined) {
    const e = r.estimate;
    printLine(
      `  estimate of a first full sync: ${Object.values(e.dingtalkCalls).reduce((a, b) => a + b, 0)} DingTalk calls (~${e.dingtalkSeconds} s), ` +
        `${e.pdsWritesFirstSync} PDS writes (~${e.pdsSeconds} s): about ${e.minutes} min at the configured QPS`,
    );
  }
  printLine(r.ok ? 'a sync can run' : 'a sync cannot run until the ✗ items are fixed');
}

/** `dtsync check <profile>`: the PDS console's config check. Exit 0 when a sync can run, 1 otherwise. */
export function checkCommand(): Command {
  return withConfigOption(new Command('check'))
    .description(
      'check a profile as the PDS console does: credentials, permissions, fields, scope, PDS role, redirect URL, and an estimate',
    )
    .argument('<profile>', 'profile id')
    .option('--json', 'print JSON')
    .action(async (profileId: string, flags: { json?: boolean }, cmd: Command) => {
      const loaded = loadFor(cmd);
      const profile = profileOf(loaded.config, profileId);
      const log = loggerFor(loaded.config).child({ command: 'check' });
      // the scope walk shares the running workers' DingTalk limit when Redis is there
      let pacer: Pacer = unpaced;
      const url = redisUrlOf(loaded.config);
      const redis = await assertRedisReachable(url, 1500).then(
        () => producerConnection(url),
        () => undefined,
      );
      if (redis !== undefined) pacer = new RedisPacer(redis, loaded.config.redis.prefix);
      else log.warn("Redis is unreachable: the scope walk is paced by DingTalk's own throttling only");
      try {
        const result = await runCheck(profile, { log, pacer });
        if (flags.json === true) printJson(result);
        else print(result);
        process.exitCode = result.ok ? ExitCode.Ok : ExitCode.Failed;
      } finally {
        redis?.disconnect();
      }
    });
}
