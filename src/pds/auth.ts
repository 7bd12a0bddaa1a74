import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Profile } from '../config/schema.js';
import { untilAborted } from '../errors/abort.js';
import type { TokenSource } from '../http/retry-loop.js';
import type { PdsCore } from './core.js';
import { CLOCK_MARGIN_SECONDS } from './clock.js';
import { loadPrivateKey, TOKEN_PATH } from './key.js';
import { tokenSchema, type TokenResponse } from './schemas.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Assertion lifetime: the JS SDK and the docs use about five minutes. */
const ASSERTION_TTL_SECONDS = 300;
/*
 * `iat` is set CLOCK_MARGIN_SECONDS (60 s, pds/clock.ts) in the past, so that a clock at most
 * that far ahead of PDS's still signs an `iat` PDS does not see in its future; `exp` stays
 * ASSERTION_TTL_SECONDS after `iat`.
 */
/** Renew this long before `expires_in` runs out (at most half the lifetime). */
const RENEW_MARGIN_SECONDS = 300;

/** What the token answer says about the credentials; never the token itself. */
export interface PdsTokenInfo {
  readonly domainId: string | undefined;
  readonly role: string | undefined;
  readonly status: string | undefined;
  readonly expiresIn: number;
}

interface CachedToken {
  readonly accessToken: string;
  /** Client clock (ms) after which the token is renewed before use. */
  readonly renewAt: number;
  readonly info: PdsTokenInfo;
}

export interface TokenProviderSettings {
  readonly pds: Pick<Profile['pds'], 'domainId' | 'clientId' | 'privateKeyFile' | 'privateKey'>;
  /** The client's retry loop: the token request is retried like any call, without a token. */
  readonly core: PdsCore;
  readonly now: () => number;
}

/**
 * The JWT application's service token: an RS256 assertion exchanged at `/v2/oauth/token`.
 * Kept in this object's memory only (never in Redis, never logged), renewed ahead of
 * `expires_in`, and fetched once for all concurrent callers.
 */
export class TokenProvider implements TokenSource {
  #cached: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;
  #key: KeyObject | undefined;

  constructor(private readonly settings: TokenProviderSettings) {}

  /** A valid access token, fetching a new one when none is cached or it is due for renewal. */
  async token(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && this.settings.now() < cached.renewAt) return cached.accessToken;
    return (await this.#shared(signal)).accessToken;
  }

  /** What PDS said about the token in use, fetching one when none is held or it is due. */
  async info(signal?: AbortSignal): Promise<PdsTokenInfo> {
    const cached = this.#cached;
    if (cached !== undefined && this.settings.now() < cached.renewAt) return cached.info;
    return (await this.#shared(signal)).info;
  }

  /** Drops `token` after the server refused it, unless a newer one already replaced it. */
  invalidate(token: string): void {
    if (this.#cached?.accessToken === token) this.#cached = undefined;
  }

  /** Fetches a fresh token now (the credentials check) and reports what PDS said about it. */
  async fresh(signal?: AbortSignal): Promise<PdsTokenInfo> {
    this.#cached = undefined;
    return (await this.#shared(signal)).info;
  }

  /** One fetch shared by every waiting caller; each caller may still give up on its own signal. */
  #shared(signal?: AbortSignal): Promise<CachedToken> {
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return untilAborted(this.#pending, signal);
  }

  async #fetch(): Promise<CachedToken> {
    const { core, now, pds } = this.settings;
    const key = (this.#key ??= await loadPrivateKey(pds));
    const answer = await core.call({
      path: TOKEN_PATH,
      schema: tokenSchema,
      write: false,
      payload: async () => ({
        form: { client_id: pds.clientId, grant_type: JWT_BEARER, assertion: await this.#assertion(key) },
      }),
    });
    return this.#cache(answer, now());
  }

  #cache(answer: TokenResponse, obtainedAt: number): CachedToken {
    const lifetime = answer.expires_in;
    const renewAfter = Math.max(lifetime / 2, lifetime - RENEW_MARGIN_SECONDS);
    const cached: CachedToken = {
      accessToken: answer.access_token,
      renewAt: obtainedAt + renewAfter * 1000,
      info: { domainId: answer.domain_id, role: answer.role, status: answer.status, expiresIn: lifetime },
    };
    this.#cached = cached;
    return cached;
  }

  /** A fresh assertion per attempt: a new `jti` and `iat`, so a retry is never a replay. */
  #assertion(key: KeyObject): Promise<string> {
    const { pds, now } = this.settings;
    const iat = Math.floor(now() / 1000) - CLOCK_MARGIN_SECONDS;
    return new SignJWT({ sub_type: 'service', auto_create: false })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(pds.clientId)
      .setSubject(pds.domainId)
      .setAudience(pds.domainId)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_TTL_SECONDS)
      .sign(key);
  }
}
