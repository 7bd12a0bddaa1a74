import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { SimError } from './errors.js';
import type { JsonObject } from './types.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** How far the simulated PDS lets an assertion's times be off its clock. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** Kept for the leak tests; older ones are dropped. */
const SEEN_MAX = 200;

/** A fresh RSA-2048 key pair: PKCS#8 private key, SPKI public key, both PEM. */
export function generateKeyPairPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface SimAuthSettings {
  readonly domainId: string;
  readonly clientId: string;
  readonly publicKey: string | KeyObject;
  readonly ttlSeconds: number;
  readonly now: () => number;
}

interface IssuedToken {
  readonly expiresAt: number;
  readonly generation: number;
}

/** 401 of the token call: the assertion or the client is not accepted (code our reading). */
const rejected = (code: string, message: string) => new SimError(401, code, message);

/**
 * The JWT application: verifies RS256 assertions against the registered public key and issues
 * opaque access tokens that expire after `ttlSeconds` (real ones are JWTs; clients must treat
 * them as opaque anyway), and that "expire all now" invalidates at once.
 */
export class SimAuth {
  readonly #key: KeyObject;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #usedJti = new Map<string, number>();
  #generation = 0;
  readonly #assertions: string[] = [];
  readonly #accessTokens: string[] = [];

  constructor(private readonly settings: SimAuthSettings) {
    this.#key =
      typeof settings.publicKey === 'string' ? createPublicKey(settings.publicKey) : settings.publicKey;
  }

  /** `POST /v2/oauth/token`, form fields already parsed. */
  async token(form: Readonly<Record<string, string>>): Promise<JsonObject> {
    const { clientId, domainId, ttlSeconds, now } = this.settings;
    const grant = form.grant_type;
    const assertion = form.assertion;
    const client = form.client_id;
    if (grant === undefined || grant === '')
      throw new SimError(400, 'InvalidParameterMissing', 'grant_type is missing.');
    if (grant !== JWT_BEARER)
      throw new SimError(400, 'InvalidParameter.GrantType', 'grant_type is not supported.');
    if (client === undefined || client === '')
      throw new SimError(400, 'InvalidParameterMissing', 'client_id is missing.');
    if (assertion === undefined || assertion === '') {
      throw new SimError(400, 'InvalidParameterMissing', 'assertion is missing.');
    }
    remember(this.#assertions, assertion);
    if (client !== clientId) throw rejected('InvalidParameter.ClientId', 'client_id is not found.');

    const at = now();
    let payload: JsonObject;
    try {
      ({ payload } = await jwtVerify(assertion, this.#key, {
        algorithms: ['RS256'],
        issuer: clientId,
        audience: domainId,
        subject: domainId,
        currentDate: new Date(at),
        requiredClaims: ['iat', 'exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (err) {
      throw rejected('InvalidParameter.Assertion', `assertion is not valid: ${whyRejected(err)}.`);
    }
    // jose checks `iat` only against a maximum age: an `iat` in the future is refused here, as
    // OAuth servers do (RFC 7523 §3). Unconfirmed which code PDS answers; the client names a
    // refused assertion by the clock offset of the answer, whatever its code.
    if (typeof payload.iat === 'number' && payload.iat * 1000 > at + CLOCK_TOLERANCE_SECONDS * 1000) {
      throw rejected('InvalidParameter.Assertion', 'assertion is not valid: iat is in the future.');
    }
    if (payload.sub_type !== 'service') {
      throw rejected('InvalidParameter.Assertion', 'assertion is not valid: sub_type must be "service".');
    }
    this.#checkReplay(String(payload.jti), Number(payload.exp) * 1000);

    const accessToken = randomBytes(32).toString('base64url');
    remember(this.#accessTokens, accessToken);
    this.#purge(at);
    this.#tokens.set(accessToken, { expiresAt: at + ttlSeconds * 1000, generation: this.#generation });
    return {
      access_token: accessToken,
      refresh_token: randomBytes(16).toString('hex'),
      expires_in: ttlSeconds,
      expire_time: new Date(at + ttlSeconds * 1000).toISOString(),
      token_type: 'Bearer',
      domain_id: domainId,
      role: 'superadmin',
      status: 'enabled',
    };
  }

  /** Checks `Authorization: Bearer <token>` of an API call. */
  check(authorization: string | undefined): void {
    const m = /^Bearer (\S+)$/i.exec(authorization ?? '');
    const token = m?.[1];
    if (token === undefined) throw rejected('AccessTokenInvalid', 'AccessToken is required.');
    const issued = this.#tokens.get(token);
    if (issued === undefined) throw rejected('AccessTokenInvalid', 'AccessToken is invalid.');
    if (issued.generation !== this.#generation || this.settings.now() >= issued.expiresAt) {
      throw rejected('AccessTokenInvalid', 'AccessToken is invalid. expired');
    }
  }

  expireAll(): void {
    this.#generation++;
    this.#tokens.clear();
  }

  secretsSeen(): { assertions: readonly string[]; accessTokens: readonly string[] } {
    return { assertions: [...this.#assertions], accessTokens: [...this.#accessTokens] };
  }

  /** A `jti` is accepted once while its assertion is valid. */
  #checkReplay(jti: string, expiresAt: number): void {
    if (this.#usedJti.has(jti))
      throw rejected('InvalidParameter.Assertion', 'assertion is not valid: jti was used before.');
    this.#usedJti.set(jti, expiresAt);
  }

  #purge(at: number): void {
    if (this.#tokens.size > 1000) {
      for (const [t, issued] of this.#tokens) if (issued.expiresAt <= at) this.#tokens.delete(t);
    }
    if (this.#usedJti.size > 1000) {
      for (const [j, exp] of this.#usedJti) if (exp + 60_000 <= at) this.#usedJti.delete(j);
    }
  }
}

function whyRejected(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'it has expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'the signature does not verify with the registered public key';
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim "${err.claim}" ${err.reason}`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'it must be signed RS256';
  return 'it is not a well-formed signed JWT';
}

function remember(list: string[], value: string): void {
  list.push(value);
  if (list.length > SEEN_MAX) list.shift();
}
