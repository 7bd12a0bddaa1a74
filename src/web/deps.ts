import type { RedisClient } from '../redis/client.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../process/logger.js';
import type { SyncQueue } from '../queue/queue.js';
import type { RunHistory } from '../state/history.js';
import type { LoginLimits } from './login-guard.js';

/** What the web role's plugins share: the config and Redis, nothing of another process. */
export interface WebDeps {
  readonly config: Config;
  readonly redis: RedisClient;
  readonly queue: SyncQueue;
  readonly history: RunHistory;
  readonly log: Logger;
  readonly now?: () => Date;
  /** The failed-login limits, where a test shrinks them (LOGIN_LIMITS otherwise). */
  readonly loginLimits?: Partial<LoginLimits>;
}
