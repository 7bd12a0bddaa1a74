import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { generateKeyPairPem, startPdsSimulator } from '../../sim/pds/index.js';
import type { PdsSimulator, PdsSimulatorOptions } from '../../sim/pds/types.js';

/**
 * Raw HTTP against the simulator, built from the reference (not from the client): the
 * simulator's tests must not lean on the code they are meant to check.
 */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body ({} when empty). */
  readonly body: Record<string, unknown>;
}

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const keys = generateKeyPairPem();

export interface AssertionClaims {
  iss?: string;
  sub?: string;
  aud?: string;
  sub_type?: string;
  jti?: string;
  iat?: number;
  exp?: number;
}

/** An RS256 assertion as the reference describes it; any claim can be overridden. */
export async function signAssertion(
  sim: Pick<PdsSimulator, 'clientId' | 'domainId'>,
  claims: AssertionClaims = {},
  privateKeyPem = keys.privateKeyPem,
  nowMs = Date.now(),
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const c = {
    iss: sim.clientId,
    sub: sim.domainId,
    aud: sim.domainId,
    sub_type: 'service',
    jti: randomUUID(),
    iat,
    exp: iat + 300,
    ...claims,
  };
  return new SignJWT({ sub_type: c.sub_type, auto_create: false })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(c.iss)
    .setSubject(c.sub)
    .setAudience(c.aud)
    .setJti(c.jti)
    .setIssuedAt(c.iat)
    .setExpirationTime(c.exp)
    .sign(await importPKCS8(privateKeyPem, 'RS256'));
}

async function answer(r: Response): Promise<Answer> {
  const text = await r.text();
  let body: Record<string, unknown> = {};
  try {
    if (text !== '') body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: r.status, headers: r.headers, text, body };
}

export async function tokenRequest(url: string, form: Record<string, string>): Promise<Answer> {
  return answer(
    await fetch(`${url}/v2/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    }),
  );
}

export async function getToken(sim: PdsSimulator, nowMs?: number): Promise<string> {
  const a = await tokenRequest(sim.url, {
    client_id: sim.clientId,
    grant_type: JWT_BEARER,
    assertion: await signAssertion(sim, {}, keys.privateKeyPem, nowMs),
  });
  if (a.status !== 200) throw new Error(`token: ${a.status} ${a.text}`);
  return a.body.access_token as string;
}

export async function post(url: string, path: string, body: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return answer(await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
}

export async function control(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Answer> {
  return answer(
    await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
}

/** A simulator with the shared test key, and an `api(path, body)` that carries a token. */
export async function startSim(options: Partial<PdsSimulatorOptions> = {}): Promise<{
  sim: PdsSimulator;
  api: (path: string, body: unknown) => Promise<Answer>;
  refreshToken: () => Promise<void>;
}> {
  const sim = await startPdsSimulator({ publicKey: keys.publicKeyPem, ...options });
  let token = await getToken(sim, options.now?.());
  return {
    sim,
    api: (path, body) => post(sim.url, path, body, token),
    refreshToken: async () => {
      token = await getToken(sim, options.now?.());
    },
  };
}
