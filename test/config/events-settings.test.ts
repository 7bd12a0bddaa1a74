import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { configSchema } from '../../src/config/schema.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const yaml = (top: string, dingtalkExtra = '', profileExtra = '') => `${top}
profiles:
  - id: a
    dingtalk: { appKey: k, appSecret: s${dingtalkExtra} }
    pds: { domainId: bj1, clientId: c, privateKey: k }
${profileExtra}`;

let n = 0;
function load(text: string) {
  return loadConfig({ path: tmp.write(`e-${++n}.yaml`, text), env: {} }).config;
}
function problemsOf(text: string): string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('the events: and stream: settings', () => {
  it('events are off by default, with a 1.5 s window, 500 people, a 600 s gap and a 60 s watchdog', () => {
    const config = load(yaml(''));
    expect(config.profiles[0]?.events).toEqual({
      enabled: false,
      coalesceMs: 1500,
      maxTargeted: 500,
      gapFullSyncSeconds: 600,
    });
    expect(config.stream).toEqual({ watchdogSeconds: 60 });
    expect(config.profiles[0]?.dingtalk.corpId).toBeUndefined();
  });

  it('every timing can be set to a second or less, so tests never wait a minute', () => {
    const config = load(
      yaml(
        'stream: { watchdogSeconds: 0.5 }',
        ', corpId: ding0123abcd',
        '    events: { enabled: true, coalesceMs: 50, maxTargeted: 3, gapFullSyncSeconds: 0.2 }',
      ),
    );
    expect(config.stream.watchdogSeconds).toBe(0.5);
    expect(config.profiles[0]?.events).toEqual({
      enabled: true,
      coalesceMs: 50,
      maxTargeted: 3,
      gapFullSyncSeconds: 0.2,
    });
    expect(config.profiles[0]?.dingtalk.corpId).toBe('ding0123abcd');
  });

  it('a zero watchdog or gap, a fractional window and an unknown key are refused with their paths', () => {
    expect(
      problemsOf(
        yaml(
          'stream: { watchdogSeconds: 0 }',
          '',
          '    events: { gapFullSyncSeconds: 0, coalesceMs: 1.5, coalesce: 3 }',
        ),
      ),
    ).toEqual(
      expect.arrayContaining([
        'stream.watchdogSeconds: must be > 0',
        'profiles[0].events.gapFullSyncSeconds: must be > 0',
        expect.stringMatching(/^profiles\[0\]\.events\.coalesceMs: /),
        'profiles[0].events.coalesce: unknown key (check its spelling)',
      ]),
    );
  });

  it("the example config's commented events:, stream: and corpId: lines are valid as they are written", () => {
    const example = readFileSync('dtsync.config.example.yaml', 'utf8');
    const uncommented = example.replace(/^(\s*)# (events|stream|corpId): /gm, '$1$2: ');
    expect(uncommented.match(/^\s*(events|stream|corpId): /gm)).toHaveLength(3);
    const config = configSchema.parse(parse(uncommented));
    expect(config.stream.watchdogSeconds).toBe(60);
    expect(config.profiles[0]?.events.enabled).toBe(false);
  });
});
