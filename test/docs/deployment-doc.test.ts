import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { fencedBlock } from '../helpers/markdown.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

// the doc itself is followed by test/web/deployment.test.ts (nginx, dtsync web, Chromium)
describe('docs/deployment.md', () => {
  it('is linked from both READMEs', () => {
    for (const file of ['README.md', 'README.zh-CN.md'])
      expect({ file, linked: read(file).includes('](docs/deployment.md)') }).toEqual({ file, linked: true });
  });

  it('explains every web: key its example sets, and the example config names the proxy ones too', () => {
    const doc = read('docs/deployment.md');
    const web = (parse(fencedBlock(doc, 'yaml')) as { web: Record<string, unknown> }).web;
    for (const key of ['publicUrl', 'trustProxy', 'allowedHosts']) {
      expect(Object.keys(web)).toContain(key);
      expect(doc).toContain(`**\`${key}\`**`);
      expect(read('dtsync.config.example.yaml')).toMatch(new RegExp(`^\\s+# ${key}: `, 'm'));
    }
  });

  it('its nginx snippet forwards the protocol, host and client address the console reads', () => {
    const nginx = fencedBlock(read('docs/deployment.md'), 'nginx');
    for (const header of ['X-Forwarded-Proto $scheme', 'X-Forwarded-Host', 'X-Forwarded-For', 'Host'])
      expect(nginx).toMatch(new RegExp(`proxy_set_header ${header.replace('$', '\\$')}`));
    expect(nginx).toMatch(/listen 443 ssl;/);
  });
});
