import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Profile } from '../config/schema.js';
import { sleep } from '../pacing/pacer.js';
import { PdsError } from './errors.js';
import { loadPrivateKey, TOKEN_PATH } from './key.js';
import { parseSuccess } from './parse-body.js';
import { errorFromResponse } from './parse-error.js';
import { retryDelayMs, type RetryPolicy } from './retry.js';
import { tokenSchema, type TokenResponse } from './schemas.js';
import type { PdsTransport } from './transport.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Assertion lifetime: the JS SDK and the docs use about five minutes. */
const ASSERTION_TTL_SECONDS = 300;
/** Renew this long before `expires_in` runs out (at most half the lifetime). */
const RENEW_MARGIN_SECONDS = 300;

export const REJECTED_HINT =
  "clientId unknown, or this key's public half is not registered for the JWT application";

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

export interface TokenSourceSettings {
  readonly pds: Pick<Profile['pds'], 'domainId' | 'clientId' | 'privateKeyFile' | 'privateKey'>;
  readonly transport: PdsTransport;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly random: () => number;
}

/**
 * The JWT application's service token: an RS256 assertion exchanged at `/v2/oauth/token`.
 * Kept in this object's memory only (never in Redis, never logged), renewed ahead of
 * `expires_in`, and fetched once for all concurrent callers.
 */
export class TokenSource {
  #cached: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;
  #key: KeyObject | undefined;

  constructor(private readonly settings: TokenSourceSettings) {}

  /** A valid access token, fetching a new one when none is cached or it is due for renewal. */
  async token(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && this.settings.now() < cached.renewAt) return cached.accessToken;
    return (await this.#shared(signal)).accessToken;
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
    return raceAbort(this.#pending, signal);
  }

  async #fetch(): Promise<CachedToken> {
    const { transport, retry, now, random, pds } = this.settings;
    this.#key ??= await loadPrivateKey(pds);
    for (let attempt = 1; ; attempt++) {
      let failure: PdsError;
      try {
        const res = await transport.post(
          TOKEN_PATH,
          {
            form: {
              client_id: pds.clientId,
              grant_type: JWT_BEARER,
              assertion: await this.#assertion(this.#key),
            },
          },
          { write: false },
        );
        if (res.status >= 200 && res.status < 300) {
          return this.#cache(parseSuccess(TOKEN_PATH, res, tokenSchema), now());
        }
        failure = errorFromResponse(TOKEN_PATH, res);
        // A 4xx other than 429: PDS refused these credentials; retrying cannot change that.
        if (!failure.retryable && failure.httpStatus !== undefined && failure.httpStatus < 500) {
          throw new PdsError(`${failure.message} (${REJECTED_HINT})`, {
            path: TOKEN_PATH,
            code: failure.code,
            httpStatus: failure.httpStatus,
            requestId: failure.requestId,
            permanent: true,
            retryable: false,
          });
        }
      } catch (err) {
        if (!(err instanceof PdsError) || !err.retryable) throw err;
        failure = err;
      }
      if (!failure.retryable || attempt >= retry.maxAttempts) throw failure;
      await sleep(retryDelayMs(failure, attempt, retry, random));
    }
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
    const iat = Math.floor(now() / 1000);
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

/** `promise`, or the signal's reason as soon as it aborts (the shared work goes on). */
function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}
