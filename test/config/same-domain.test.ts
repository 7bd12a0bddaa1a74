import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPdsSimulatorHost, type PdsSimulatorHost } from '../../sim/pds/index.js';
import { crossProfileProblems } from '../../src/config/cross-profile.js';
import { testKeyPair } from '../helpers/sims.js';

/*
 * One domain behind two base URLs: the PDS simulator host serves a domain at `/{domainId}`,
 * read case-insensitively as PDS reads a domain id, so `…/bench1` and `…/BENCH1` reach one
 * domain. Two profiles pointed at them would each disable the other's people.
 */

let host: PdsSimulatorHost;
beforeAll(async () => {
  host = await startPdsSimulatorHost({
    domains: [{ domainId: 'bench1', publicKey: testKeyPair().publicKeyPem }],
  });
});
afterAll(async () => {
  await host?.close();
});

const profile = (id: string, domainId: string, baseUrl: string) => ({
  id,
  dingtalk: { appKey: 'k', appSecret: 's' },
  pds: { domainId, baseUrl, clientId: 'c', privateKey: 'unused' },
});

describe('two base URLs of one PDS domain', () => {
  it('reach one domain on the simulator host', async () => {
    const lower = `${host.url}/bench1`;
    const upper = `${host.url}/BENCH1`;
    const seeded = await fetch(`${lower}/_sim/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ users: [{ user_id: 'by-hand', nick_name: 'by hand' }] }),
    });
    expect(seeded.status).toBe(200);
    const seen = (await (await fetch(`${upper}/_sim/state`)).json()) as { users: { user_id: string }[] };
    expect(seen.users.map((u) => u.user_id)).toContain('by-hand');
  });

  it('are refused in one config when their domain ids match case-insensitively', () => {
    const raw = {
      profiles: [
        profile('lower', 'bench1', `${host.url}/bench1`),
        profile('upper', 'BENCH1', `${host.url}/BENCH1`),
      ],
    };
    expect(Object.fromEntries(crossProfileProblems(raw))).toEqual({
      'profiles[1].pds.domainId': { code: 'duplicate_domain', params: { domainId: 'BENCH1', other: 0 } },
    });
    // the same two base URLs with the domain ids apart are two domains to the config
    const apart = {
      profiles: [
        profile('lower', 'bench1', `${host.url}/bench1`),
        profile('other', 'bench2', `${host.url}/bench2`),
      ],
    };
    expect(crossProfileProblems(apart).size).toBe(0);
  });
});
