import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { crossProfileProblems } from './cross-profile.js';
import { configSchema, UnsetVar, type Config } from './schema.js';
import { lookupVar, readEnv } from './env.js';
import { parseLocale, type Locale } from '../i18n/catalog.js';
import type { Coded } from '../i18n/coded.js';
import { configError, issueProblem, reportedIssues, type ConfigProblem } from './problems.js';
import { Secret } from './secret.js';

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
  readonly notes: readonly ConfigProblem[];
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Secret-bearing paths may stay unset until a command reveals them. */
const webSecret = (path: string) =>
  path === 'web.auth.password' ||
  path === 'web.metricsToken' ||
  /^web\.auth\.tokens\[\d+\]\.token$/.test(path);
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

function issueProblems(error: z.ZodError): Map<string, Coded> {
  const byPath = new Map<string, Coded>();
  for (const issue of error.issues.flatMap(reportedIssues)) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = formatPath([...issue.path, key]);
        if (!byPath.has(keyPath)) byPath.set(keyPath, { code: 'unknown_key', params: {} });
      }
      continue;
    }
    const path = formatPath(issue.path);
    if (!byPath.has(path)) byPath.set(path, issueProblem(issue));
  }
  return byPath;
}

/** The `locale` a config document asks for, if it names a valid one. */
function localeOf(raw: unknown): Locale | undefined {
  const value = (raw as { locale?: unknown } | null)?.locale;
  return typeof value === 'string' ? parseLocale(value) : undefined;
}

/**
 * Anchors and aliases a config may resolve. yaml's default of 100 guards against an alias bomb
 * (each alias of nested aliases multiplies the count), but a deployment of a thousand profiles
 * that names one shared `safety: *defaults` in each resolves a thousand plain aliases.
 */
const MAX_ALIAS_COUNT = 100_000;

/** The document as plain data; an alias bomb is a config problem, not a crash. */
function plainOf(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw configError([{ path: '', code: 'yaml', params: { message: err.message } }], file);
  }
}

/** Reads, interpolates, validates and freezes the config. Throws ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = resolve(options.path ?? readEnv(env).DTSYNC_CONFIG ?? './dtsync.config.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw configError([{ path: '', code: 'unreadable', params: { errno } }], file);
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw configError(
      doc.errors.map((e) => ({
        path: '',
        code: 'yaml',
        params: { message: e.message.split('\n')[0] ?? '' },
      })),
      file,
    );
  }
  const missing: Missing[] = [];
  const raw = interpolate(plainOf(doc, file), [], env, missing);
  const problems = new Map<string, Coded>();
  const notes: ConfigProblem[] = [];
  for (const m of missing) {
    if (webSecret(m.path) && options.requireWeb !== true) {
      notes.push({ path: m.path, code: 'env_unset_web', params: { name: m.name } });
    } else if (profileSecret(m.path) && options.requireWeb === true) {
      // the web role never calls DingTalk or PDS
    } else {
      problems.set(m.path, { code: 'env_unset', params: { name: m.name } });
    }
  }
  const parsed = configSchema.safeParse(raw);
  for (const [path, problem] of crossProfileProblems(raw)) {
    if (!problems.has(path)) problems.set(path, problem);
  }
  const envUrl = parsed.success ? redisEnvProblem(parsed.data, env) : undefined;
  if (envUrl !== undefined) problems.set('redis', envUrl);
  if (!parsed.success) {
    for (const [path, problem] of issueProblems(parsed.error)) {
      if (!problems.has(path)) problems.set(path, problem);
    }
  }
  if (problems.size > 0 || !parsed.success) {
    throw configError(
      [...problems].map(([path, p]) => ({ path, ...p })),
      file,
      localeOf(raw),
    );
  }
  const config = resolveRelativePaths(parsed.data, dirname(file));
  return { config: deepFreeze(config), file, notes };
}

/** `REDIS_URL` names one Redis: it cannot stand beside a Sentinel set or a Cluster. */
function redisEnvProblem(config: Config, env: NodeJS.ProcessEnv): Coded | undefined {
  const mode =
    config.redis.sentinel !== undefined
      ? 'sentinel'
      : config.redis.cluster !== undefined
        ? 'cluster'
        : undefined;
  if (mode === undefined || readEnv(env).REDIS_URL === undefined) return undefined;
  return { code: 'redis_env_url', params: { mode } };
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
