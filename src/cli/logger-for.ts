import { readEnv } from '../config/env.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../process/logger.js';

/**
 * The logger of a command that runs a role or calls a remote API. Apart from context.ts, so a
 * command that only reads the config (`config validate`) does not load pino.
 */
export function loggerFor(config: Config | undefined): Logger {
  return createLogger({ level: readEnv().LOG_LEVEL ?? config?.log.level ?? 'info' });
}
