/**
 * Every environment variable the service reads, in one place (config values use `${VAR}`
 * in the YAML instead). Nothing else in the code reads `process.env`.
 */
export interface ServiceEnv {
  /** Overrides `redis.url` of the config file. */
  readonly REDIS_URL: string | undefined;
  /** Path of the config file when `--config` is not given. @defaultValue ./dtsync.config.yaml */
  readonly DTSYNC_CONFIG: string | undefined;
  /** `1` stops demo/simulate/bench/tests from installing Debian's redis-server when it is missing. */
  readonly DTSYNC_NO_INSTALL: boolean;
  /** Overrides `log.level`. */
  readonly LOG_LEVEL: string | undefined;
  /** The CLI's language (`zh-CN` or `en`); `--lang` overrides it, it overrides the config's `locale`. */
  readonly DTSYNC_LANG: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ServiceEnv {
  const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  return Object.freeze({
    REDIS_URL: nonEmpty(env.REDIS_URL),
    DTSYNC_CONFIG: nonEmpty(env.DTSYNC_CONFIG),
    DTSYNC_NO_INSTALL: env.DTSYNC_NO_INSTALL === '1',
    LOG_LEVEL: nonEmpty(env.LOG_LEVEL),
    DTSYNC_LANG: nonEmpty(env.DTSYNC_LANG),
  });
}

/** `${VAR}` lookups of the config file go through this. */
export function lookupVar(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name];
}
