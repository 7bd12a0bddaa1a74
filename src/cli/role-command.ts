import { Command } from 'commander';
import { redisUrlOf } from '../config/load.js';
import { assertRedisReachable } from '../infra/redis.js';
import type { RoleEntry } from '../infra/role.js';
import { Shutdown } from '../infra/shutdown.js';
import { configPathOf, loadFor, loggerFor, withConfigOption } from './context.js';
import { checkKeyFiles } from './key-files.js';

/**
 * A long-running command: validates the config, fails fast (exit 5) if Redis is unreachable
 * (never starting one), starts the roles, and runs until SIGINT/SIGTERM.
 */
export function roleCommand(
  name: string,
  description: string,
  roles: readonly RoleEntry[],
  requireWeb = false,
): Command {
  return withConfigOption(new Command(name))
    .description(description)
    .action(async (_opts, cmd: Command) => {
      const loaded = loadFor(cmd, requireWeb);
      await checkKeyFiles(loaded);
      const redisUrl = redisUrlOf(loaded.config);
      await assertRedisReachable(redisUrl);
      const log = loggerFor(loaded.config).child({ role: name });
      const shutdown = new Shutdown(log, (loaded.config.worker.shutdownTimeoutSeconds + 15) * 1000);
      shutdown.install();
      for (const role of roles)
        await role({ loaded, configPath: configPathOf(cmd), redisUrl, log, shutdown });
      log.info('started');
      await new Promise<void>(() => undefined); // until a signal runs the shutdown sequence
    });
}
