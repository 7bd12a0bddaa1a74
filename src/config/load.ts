import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, crossProfileProblems, UnsetVar, type Config } from './schema.js';
import { lookupVar, readEnv } from './env.js';
import { Secret } from './secret.js';

/** Invalid configuration: every problem, each with its path. Exit code 2. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly file: string,
  ) {
    super(`invalid config ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface LoadOptions {
  /** Path from `--config`; else DTSYNC_CONFIG; else ./dtsync.config.yaml. */
  readonly path?: string | undefined;
  /**
   * The web role needs its password and tokens, and no DingTalk or PDS secret (a config check
   * runs on a worker); other commands need the profiles' secrets and not the web ones.
   */
  readonly requireWeb?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  readonly config: Config;
  readonly file: string;
  /** Notes that are not errors for this command (an unset web password, say). */
  readonly notes: readonly string[];
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Secret-bearing paths may stay unset until a command reveals them. */
const webSecret = (path: string) =>
  path === 'web.auth.password' ||
  path === 'web.metricsToken' || /^web\.auth\.tokens\[\d+\]\.token$/.test(path);
const profileSecret = (path: string) => /^profiles\[\d+\]\.(dingtalk\.appSecret|pds\.privateKey)$/.test(path);

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

interface Missing {
  readonly path: string;
  readonly name: string;
}

function interpolate(
  node: unknown,
  path: (string | number)[],
  env: NodeJS.ProcessEnv,
  missing: Missing[],
): unknown {
  if (typeof node === 'string') {
    let unset: string | undefined;
    const value = node.replace(VAR, (_m, name: string) => {
      const v = lookupVar(name, env);
      if (v === undefined) {
        unset ??= name;
        return '';
      }
      return v;
    });
    if (unset === undefined) return value;
    missing.push({ path: formatPath(path), name: unset });
    return new UnsetVar(unset);
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolate(v, [...path, i], env, missing));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, interpolate(v, [...path, k], env, missing)]),
    );
  }
  return node;
}

function issueLines(error: z.ZodError): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const issue of error.issues) {
    const path = formatPath(issue.path);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = formatPath([...issue.path, key]);
        if (!byPath.has(keyPath)) byPath.set(keyPath, 'unknown key (check its spelling)');
      }
      continue;
    }
    if (issue.code === 'invalid_type' && message.includes('received undefined')) message = 'required';
    if (!byPath.has(path)) byPath.set(path, message);
  }
  return byPath;
}

/** Reads, interpolates, validates and freezes the config. Throws ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = resolve(options.path ?? readEnv(env).DTSYNC_CONFIG ?? './dtsync.config.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([`cannot read the config file (${code})`], file);
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0] ?? ''}`),
      file,
    );
  }
  const missing: Missing[] = [];
  const raw = interpolate(doc.toJS(), [], env, missing);
  const problems = new Map<string, string>();
  const notes: string[] = [];
  for (const m of missing) {
    if (webSecret(m.path) && options.requireWeb !== true) {
      notes.push(`${m.path}: environment variable ${m.name} is not set (needed only by the web role)`);
    } else if (profileSecret(m.path) && options.requireWeb === true) {
      // the web role never calls DingTalk or PDS
    } else {
      problems.set(m.path, `environment variable ${m.name} is not set`);
    }
  }
  const parsed = configSchema.safeParse(raw);
  for (const [path, message] of crossProfileProblems(raw)) {
    if (!problems.has(path)) problems.set(path, message);
  }
  if (!parsed.success) {
    for (const [path, message] of issueLines(parsed.error)) {
      if (!problems.has(path)) problems.set(path, message);
    }
  }
  if (problems.size > 0 || !parsed.success) {
    throw new ConfigError(
      [...problems].map(([p, m]) => `${p}: ${m}`),
      file,
    );
  }
  const config = resolveRelativePaths(parsed.data, dirname(file));
  return { config: deepFreeze(config), file, notes };
}

/** `REDIS_URL` overrides `redis.url`. */
export function redisUrlOf(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  return readEnv(env).REDIS_URL ?? config.redis.url;
}

function resolveRelativePaths(config: Config, base: string): Config {
  return {
    ...config,
    profiles: config.profiles.map((p) => ({
      ...p,
      pds: {
        ...p.pds,
        privateKeyFile: p.pds.privateKeyFile === undefined ? undefined : resolve(base, p.pds.privateKeyFile),
      },
    })),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof Secret) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
