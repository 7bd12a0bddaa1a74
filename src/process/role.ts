import type { LoadedConfig } from '../config/load.js';
import type { RedisTarget } from '../config/redis-target.js';
import type { Logger } from './logger.js';
import type { Shutdown } from './shutdown.js';

/**
 * What a process role (scheduler, sync worker, web) gets from the CLI: the parsed config, its
 * path (for SIGHUP reloads), its Redis (a URL, a Sentinel set or a Cluster) already checked reachable, the logger, and the
 * shutdown sequence to register its closers with. Roles share nothing but Redis.
 */
export interface RoleContext {
  readonly loaded: LoadedConfig;
  readonly configPath: string | undefined;
  readonly redis: RedisTarget;
  readonly log: Logger;
  readonly shutdown: Shutdown;
}

/** A role's entry in `workers/`: wires things up, holds no logic, registers its closers. */
export type RoleEntry = (ctx: RoleContext) => Promise<void>;
