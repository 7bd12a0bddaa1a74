import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { translator } from '../../src/i18n/catalog.js';
import { heldText } from '../../src/report/words.js';
import { startPdsSimulator, type PdsSimulator } from '../../sim/pds/index.js';
import { startSims, testKeyPair, type SimEnv } from '../helpers/sims.js';

/**
 * One company's people must never be copied into another company's PDS domain: a profile whose
 * pds block now reaches another domain is held before any write, and so is a profile's first
 * run into a domain whose people already have accounts.
 */

let env: SimEnv;
let other: PdsSimulator;
let base: Profile;
let swapped: Profile;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 27, users: 40, departments: 4 } }, name: 'target' });
  other = await startPdsSimulator({ publicKey: testKeyPair().publicKeyPem, domainId: 'sim2' });
  base = env.profile();
  swapped = env.profile({ pds: { domainId: 'sim2', baseUrl: other.url, clientId: other.clientId } });
});

afterAll(async () => {
  await other.close();
  await env.close();
});

describe('a swapped PDS domain', () => {
  it('is held whole (target_changed), naming both domains, with 0 writes', async () => {
    expect((await env.run(base)).status).toBe('succeeded');
    const before = other.control.state();
    other.control.resetCounters();

    const r = await env.run(swapped);
    expect(r.status).toBe('held');
    expect(r.held).toMatchObject({ by: 'preflight', code: 'target_changed', wholeRun: true });
    expect(r.heldReason).toMatchObject({ code: 'target_changed', params: { now: 'sim2', recorded: 'sim1' } });
    const zh = heldText(r.heldReason!, translator('zh-CN'));
    expect(zh).toContain('sim1');
    expect(zh).toContain('sim2');
    expect(other.control.counters().writes).toEqual({});
    expect(other.control.state()).toEqual(before);
  });

  it('approved, the new domain is synced and recorded: the next run is not held', async () => {
    const held = await env.run(swapped);
    expect(held.status).toBe('held');
    const approved = await env.run(swapped, { trigger: 'approval', approvedRunId: held.runId });
    expect(approved.status).toBe('succeeded');
    expect(approved.counts.created).toBe(40);
    expect((await env.run(swapped)).status).toBe('succeeded');
  });

  it('a changed base URL with the same domain_id is only a notice', async () => {
    const moved = env.profile({
      pds: {
        domainId: 'sim2',
        baseUrl: other.url.replace('127.0.0.1', 'localhost'),
        clientId: other.clientId,
      },
    });
    other.control.resetCounters();
    const r = await env.run(moved);
    expect(r.status).toBe('succeeded');
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'target_moved',
          params: { from: other.url, to: moved.pds.baseUrl, domainId: 'sim2' },
        }),
      ]),
    );
    expect(other.control.counters().writes).toEqual({});
  });
});

describe('the first run into a populated domain', () => {
  it('100 enabled users nobody manages and adoptExisting off: held whole (populated_domain), 0 writes', async () => {
    const crowded = await startPdsSimulator({ publicKey: testKeyPair().publicKeyPem, domainId: 'sim3' });
    try {
      crowded.control.seed({
        users: Array.from({ length: 100 }, (_, i) => ({
          user_id: `staff${i}`,
          nick_name: `Staff ${i}`,
          role: 'user',
          status: 'enabled',
        })),
      });
      const before = crowded.control.state();
      crowded.control.resetCounters();
      const first = env.profile({
        id: 'fresh',
        pds: { domainId: 'sim3', baseUrl: crowded.url, clientId: crowded.clientId },
      });
      const r = await env.run(first);
      expect(r.status).toBe('held');
      expect(r.held).toMatchObject({ by: 'preflight', code: 'populated_domain', wholeRun: true });
      expect(r.heldReason).toMatchObject({ params: { unmanaged: 100, max: 20 } });
      expect(heldText(r.heldReason!, translator('en'))).toContain('adoptExisting');
      expect(crowded.control.counters().writes).toEqual({});
      expect(crowded.control.state()).toEqual(before);

      const approved = await env.run(first, { trigger: 'approval', approvedRunId: r.runId });
      expect(approved.status).toBe('succeeded');
      expect(approved.counts.created).toBe(40);
    } finally {
      await crowded.close();
    }
  });
});
