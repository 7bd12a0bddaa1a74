import { CliError } from './cli-error.js';
import { ExitCode } from './exit-code.js';

/** Redis could not be reached before anything ran. Exit code 5. */
export class RedisUnreachableError extends CliError {
  constructor(
    /** Where Redis was looked for, without any password (describeRedis). */
    readonly url: string,
    /** The socket's error code, or the first line of the error. */
    readonly detail: string,
  ) {
    super(
      `Redis at ${url} is unreachable (${detail}); start it or set REDIS_URL`,
      ExitCode.Unreachable,
      'redis_unreachable',
    );
  }
}
