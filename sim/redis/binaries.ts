import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The Redis programs the private Redis, Cluster and Sentinel starters run, each found on the
 * PATH or, on Debian as root, installed from its Debian package with apt-get when missing
 * (DTSYNC_NO_INSTALL=1 turns that off): a fresh CI box has none of them.
 */
export class RedisSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface InstallOptions {
  /** Install the Debian package with apt-get when the program is missing and running as root. */
  readonly allowInstall: boolean;
  /** One-line notices (the install). */
  readonly notify: (line: string) => void;
}

/** Each program and the Debian package that ships it. */
export const REDIS_PACKAGES = {
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  'redis-sentinel': 'redis-sentinel',
} as const;

export type RedisProgram = keyof typeof REDIS_PACKAGES;

export function findOnPath(bin: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, bin);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function aptInstall(pkg: string, notify: (line: string) => void): void {
  notify(
    `${pkg} is not installed: installing Debian's ${pkg} with apt-get (DTSYNC_NO_INSTALL=1 turns this off)`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    // another starter may be installing at the same moment: wait for dpkg's lock, do not fail
    ['install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=120', pkg],
  ]) {
    const r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      const why = (r.stderr || r.error?.message || `exit ${String(r.status)}`).trim().split('\n').pop();
      throw new RedisSetupError(`apt-get ${args[0] ?? ''} failed while installing ${pkg}: ${why ?? ''}`);
    }
  }
}

/** The program's path, installing its Debian package first when allowed; undefined if neither. */
export function tryLocate(program: RedisProgram, options: InstallOptions): string | undefined {
  const found = findOnPath(program);
  if (found !== undefined) return found;
  const isRoot = process.getuid?.() === 0;
  if (options.allowInstall && isRoot && findOnPath('apt-get') !== undefined) {
    aptInstall(REDIS_PACKAGES[program], options.notify);
    return findOnPath(program);
  }
  return undefined;
}

/** The program's path, or a RedisSetupError that says how to get it. */
export function locate(program: RedisProgram, options: InstallOptions): string {
  const found = tryLocate(program, options);
  if (found !== undefined) return found;
  const pkg = REDIS_PACKAGES[program];
  throw new RedisSetupError(
    `${program} is not installed: install it (Debian: apt-get install ${pkg}) or set REDIS_URL to a Redis you run`,
  );
}
