import { describe, expect, it } from '@jest/globals';
import { streamApps } from '../../src/events/stream-apps.js';
import { buildConfig } from '../helpers/profile.js';

const profile = (id: string, appKey: string, enabled: boolean) => ({
  id,
  dingtalk: { appKey, appSecret: `secret-of-${appKey}` },
  pds: { domainId: `d-${id}`, clientId: 'c', privateKey: 'k' },
  events: { enabled },
});

describe('the apps the events role connects to', () => {
  it('one per appKey among the profiles with events on, serving all of them', () => {
    const config = buildConfig({
      profiles: [
        profile('a', 'app1', true),
        profile('b', 'app2', false),
        profile('c', 'app1', true),
        profile('d', 'app3', true),
      ],
    });
    const apps = streamApps(config);
    expect(apps.map((a) => [a.appKey, a.profiles.map((p) => p.id)])).toEqual([
      ['app1', ['a', 'c']],
      ['app3', ['d']],
    ]);
    expect(apps[0]?.apiBaseUrl).toBe('https://api.dingtalk.com');
    expect(apps[0]?.appSecret.reveal()).toBe('secret-of-app1');
  });

  it('none when no profile turned events on', () => {
    expect(streamApps(buildConfig({ profiles: [profile('a', 'app1', false)] }))).toEqual([]);
  });
});
