import { createHash } from 'node:crypto';
import type { Profile } from '../config/schema.js';
import { untilAborted } from '../errors/abort.js';
import type { TokenSource } from '../http/retry-loop.js';
import type { DingTalkExecutor } from './executor.js';
import { legacyTokenSchema, v1TokenSchema } from './schemas.js';

interface CachedToken {
  readonly token: string;
  /** Fetch a new one from here on (DingTalk's advice: ~10 minutes before expiry). */
  readonly refreshAt: number;
  readonly expiresAt: number;
}

/**
 * Access tokens by app, in this process's memory only (never Redis, disk or logs). One cache is
 * shared by every client of the process, so profiles sharing a DingTalk app share its token
 * (gettoken is itself throttled); tests pass their own.
 */
export class TokenCache {
  readonly entries = new Map<string, CachedToken>();
  readonly inflight = new Map<string, Promise<CachedToken>>();
}

export const processTokenCache = new TokenCache();

/** DingTalk's advice: refresh about 10 minutes before expiry; short test TTLs refresh at 3/4. */
const REFRESH_MARGIN_MS = 10 * 60_000;

export class TokenProvider implements TokenSource {
  readonly #settings: Profile['dingtalk'];
  readonly #executor: DingTalkExecutor;
  readonly #cache: TokenCache;
  readonly #now: () => number;
  #key: string | undefined;

  constructor(opts: {
    settings: Profile['dingtalk'];
    executor: DingTalkExecutor;
    cache?: TokenCache | undefined;
    now?: (() => number) | undefined;
  }) {
    this.#settings = opts.settings;
    this.#executor = opts.executor;
    this.#cache = opts.cache ?? processTokenCache;
    this.#now = opts.now ?? Date.now;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const key = this.key();
    const cached = this.#cache.entries.get(key);
    if (cached !== undefined && this.#now() < cached.refreshAt) return cached.token;
    let pending = this.#cache.inflight.get(key);
    if (pending === undefined) {
      // One fetch per app at a time, shared by every waiter (possibly of other jobs): it runs
      // without a caller's signal, and each waiter stops waiting when its own signal aborts.
      pending = this.fetch().finally(() => this.#cache.inflight.delete(key));
      this.#cache.inflight.set(key, pending);
    }
    try {
      const fresh = await untilAborted(pending, signal);
      this.#cache.entries.set(key, fresh);
      return fresh.token;
    } catch (err) {
      // A token still inside its lifetime outlives a failed early refresh.
      if (signal?.aborted !== true && cached !== undefined && this.#now() < cached.expiresAt)
        return cached.token;
      throw err;
    }
  }

  invalidate(token: string): void {
    const key = this.key();
    if (this.#cache.entries.get(key)?.token === token) this.#cache.entries.delete(key);
  }

  /** Per app and endpoint; the secret enters only as a digest, so a corrected secret is a new entry. */
  private key(): string {
    if (this.#key === undefined) {
      const s = this.#settings;
      const digest = createHash('sha256').update(s.appSecret.reveal()).digest('hex').slice(0, 16);
      const base = s.tokenApi === 'legacy' ? s.oapiBaseUrl : s.apiBaseUrl;
      this.#key = `${s.tokenApi}|${base}|${s.appKey}|${digest}`;
    }
    return this.#key;
  }

  private async fetch(): Promise<CachedToken> {
    const s = this.#settings;
    const appSecret = s.appSecret.reveal();
    let token: string;
    let ttlSeconds: number;
    if (s.tokenApi === 'legacy') {
      const r = await this.#executor.call({
        api: 'oapi',
        baseUrl: s.oapiBaseUrl,
        method: 'GET',
        path: '/gettoken',
        query: { appkey: s.appKey, appsecret: appSecret },
        payload: 'body',
        schema: legacyTokenSchema,
        secrets: [appSecret],
      });
      token = r.access_token;
      ttlSeconds = r.expires_in;
    } else {
      const r = await this.#executor.call({
        api: 'api',
        baseUrl: s.apiBaseUrl,
        method: 'POST',
        path: '/v1.0/oauth2/accessToken',
        body: { appKey: s.appKey, appSecret },
        payload: 'body',
        schema: v1TokenSchema,
        secrets: [appSecret],
      });
      token = r.accessToken;
      ttlSeconds = r.expireIn;
    }
    const now = this.#now();
    const ttlMs = ttlSeconds * 1000;
    return { token, expiresAt: now + ttlMs, refreshAt: now + ttlMs - Math.min(REFRESH_MARGIN_MS, ttlMs / 4) };
  }
}
