import { randomBytes } from 'node:crypto';

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired';

/**
 * Access tokens of the one simulated app. As DingTalk does: asking again while a token is
 * valid returns the same token and extends it; an expired token is told apart from an unknown one.
 */
export class TokenStore {
  readonly #expiry = new Map<string, number>();
  #current: string | undefined;

  issue(ttlSeconds: number, now: number): { token: string; expiresIn: number } {
    const current = this.#current;
    const token =
      current !== undefined && (this.#expiry.get(current) ?? 0) > now
        ? current
        : randomBytes(16).toString('hex');
    this.#current = token;
    this.#expiry.set(token, now + ttlSeconds * 1000);
    return { token, expiresIn: ttlSeconds };
  }

  check(token: string | null | undefined, now: number): TokenCheck {
    if (token === undefined || token === null || token === '') return 'missing';
    const expiresAt = this.#expiry.get(token);
    if (expiresAt === undefined) return 'invalid';
    return expiresAt > now ? 'ok' : 'expired';
  }

  /** Every token issued so far: tests prove none of them reaches a log or Redis. */
  issued(): string[] {
    return [...this.#expiry.keys()];
  }

  expireAll(now: number): void {
    for (const token of this.#expiry.keys())
      this.#expiry.set(token, Math.min(this.#expiry.get(token) ?? now, now));
  }
}
