import { Command } from 'commander';
import type { Config } from '../config/schema.js';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-code.js';
import type { RoleEntry } from '../process/role.js';
import { describeRedis, redisTargetOf } from '../config/redis-target.js';
import { Shutdown } from '../process/shutdown.js';
import { configPathOf, loadFor, withConfigOption } from './context.js';
import { loggerFor } from './logger-for.js';
import { checkKeyFiles } from './key-files.js';
import { cliLang } from './lang.js';
import { reachRedis } from './reach-redis.js';
import { codedText, type Coded } from '../i18n/coded.js';
import type { MessageKey, Translate } from '../i18n/catalog.js';

export interface RoleCommandOptions {
  /** Load the config for the web role (its secrets needed, the profiles' not). */
  readonly requireWeb?: boolean;
  /** Why the roles must not start with this config (exit 2, one line), or undefined. */
  readonly refuse?: (config: Config) => Coded | undefined;
}

/**
 * A long-running command: validates the config, fails fast (exit 5) if Redis is unreachable
 * (never starting one), starts the roles, and runs until SIGINT/SIGTERM.
 */
export function roleCommand(
  name: string,
  t: Translate,
  description: MessageKey,
  roles: readonly RoleEntry[] | ((config: Config) => readonly RoleEntry[]),
  options: RoleCommandOptions = {},
): Command {
  return withConfigOption(new Command(name), t)
    .description(t(description))
    .action(async (_opts, cmd: Command) => {
      const loaded = loadFor(cmd, options.requireWeb === true);
      const lang = cliLang(cmd, loaded.config);
      const refusal = options.refuse?.(loaded.config);
      if (refusal !== undefined)
        throw new CliError(codedText(lang.t, 'cli.web', refusal), ExitCode.Usage, refusal.code, lang.locale);
      // the web role alone needs no profile's key (it may run where the key is not mounted)
      if (options.requireWeb !== true) await checkKeyFiles(loaded);
      const redis = redisTargetOf(loaded.config);
      await reachRedis(redis, lang);
      const log = loggerFor(loaded.config).child({ role: name });
      const shutdown = new Shutdown(log, (loaded.config.worker.shutdownTimeoutSeconds + 15) * 1000);
      shutdown.install();
      for (const role of typeof roles === 'function' ? roles(loaded.config) : roles)
        await role({ loaded, configPath: configPathOf(cmd), redis, log, shutdown });
      log.info({ redis: describeRedis(redis) }, 'started');
      await new Promise<void>(() => undefined); // until a signal runs the shutdown sequence
    });
}
