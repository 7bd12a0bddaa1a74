/** How the tenants bench lays out its profiles, apps and domains (names shared by its processes). */

/** The appKey of the i-th app (1-based): also its path on the host. */
export const appKeyOf = (i: number) => `bench-app-${i}`;
/** The domain id of the i-th profile (1-based). */
export const domainIdOf = (i: number) => `bench${i}`;

export interface TenantApp {
  readonly appKey: string;
  readonly appSecret: string;
  readonly url: string;
  /** Top department of each subsidiary: the scope of one profile each. */
  readonly subsidiaries: readonly number[];
}

export interface TenantDomain {
  readonly domainId: string;
  readonly url: string;
  readonly clientId: string;
}

/** Profile i (1-based) reads subsidiary `sub` (0-based) of app `app` (0-based): `perApp` profiles share an app. */
export function placeOf(i: number, perApp: number): { readonly app: number; readonly sub: number } {
  return { app: Math.floor((i - 1) / perApp), sub: (i - 1) % perApp };
}

/** The profile id of the i-th profile (1-based): the same as its domain's id. */
export const profileIdOf = (i: number) => `bench${i}`;
