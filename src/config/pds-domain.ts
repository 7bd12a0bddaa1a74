/**
 * What makes two profiles one PDS domain. PDS reads a domain id case-insensitively, and each
 * domain has its own endpoint, so either an id or a base URL in common means one domain: two
 * profiles syncing it would each disable the other's people.
 */

/** The endpoint PDS gives a domain when the config names none. */
export const defaultPdsBaseUrl = (domainId: string): string => `https://${domainId}.api.aliyunpds.com`;

/** A domain id as PDS tells domains apart: case does not count. */
export const domainIdKey = (domainId: string): string => domainId.toLowerCase();

/**
 * A base URL as the endpoint it reaches: host lower-cased, default port and trailing slashes
 * dropped (the URL parser does the first two). The scheme is left out: http and https of one
 * host reach one domain. Undefined when it does not parse (the schema reports that).
 */
export function baseUrlKey(baseUrl: string): string | undefined {
  if (!URL.canParse(baseUrl)) return undefined;
  const url = new URL(baseUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
