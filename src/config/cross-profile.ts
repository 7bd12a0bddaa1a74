import type { Coded } from '../i18n/coded.js';
import { orgAgreementProblems } from './org-agreement.js';
import { baseUrlKey, defaultPdsBaseUrl, domainIdKey } from './pds-domain.js';

interface RawProfile {
  readonly id?: unknown;
  readonly pds?: { readonly domainId?: unknown; readonly baseUrl?: unknown };
}

/**
 * Checks across profiles, run on the raw document so they are reported together with every
 * other problem (a schema refinement would be skipped while any profile is invalid).
 */
export function crossProfileProblems(raw: unknown): Map<string, Coded> {
  const problems = new Map<string, Coded>();
  const profiles = (raw as { profiles?: unknown } | null)?.profiles;
  if (!Array.isArray(profiles)) return problems;
  const ids = new Map<string, number>();
  const domainIds = new Map<string, number>();
  const baseUrls = new Map<string, number>();
  profiles.forEach((p: unknown, i) => {
    const rec = (p ?? {}) as RawProfile;
    if (typeof rec.id === 'string') {
      const dup = ids.get(rec.id);
      if (dup !== undefined)
        problems.set(`profiles[${i}].id`, { code: 'duplicate_id', params: { other: dup, id: rec.id } });
      else ids.set(rec.id, i);
    }
    const domainId = rec.pds?.domainId;
    if (typeof domainId !== 'string') return;
    const explicitUrl = typeof rec.pds?.baseUrl === 'string' ? rec.pds.baseUrl : undefined;
    const baseUrl = explicitUrl ?? defaultPdsBaseUrl(domainId);
    const idKey = domainIdKey(domainId);
    const urlKey = baseUrlKey(baseUrl);
    const sameId = domainIds.get(idKey);
    const sameUrl = urlKey === undefined ? undefined : baseUrls.get(urlKey);
    if (sameId !== undefined) {
      problems.set(`profiles[${i}].pds.domainId`, {
        code: 'duplicate_domain',
        params: { domainId, other: sameId },
      });
    } else if (sameUrl !== undefined) {
      // Named by the URL the two share: their ids differ, so an id would not say which domain.
      problems.set(`profiles[${i}].pds.${explicitUrl === undefined ? 'domainId' : 'baseUrl'}`, {
        code: 'duplicate_domain',
        params: { domainId: baseUrl, other: sameUrl },
      });
    }
    if (!domainIds.has(idKey)) domainIds.set(idKey, i);
    if (urlKey !== undefined && !baseUrls.has(urlKey)) baseUrls.set(urlKey, i);
  });
  for (const [path, p] of orgAgreementProblems(profiles)) if (!problems.has(path)) problems.set(path, p);
  return problems;
}
