import { describe, expect, it } from '@jest/globals';
import { html, trusted } from '../../src/web/html.js';
import { isLoopbackHost } from '../../src/web/startable.js';

describe('html templates', () => {
  it('escape every interpolated value, so a name that is markup shows as text', () => {
    const name = `<img src=x onerror=alert(1)> & "q" 'a'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;a&#39;">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;a&#39;</p>',
    );
  });

  it('escape inside lists, and keep markup made by html or trusted', () => {
    const items = ['<b>', 'x'].map((s) => html`<li>${s}</li>`);
    const list = [...items, trusted('<hr>')];
    const tag = html; // prettier reflows templates tagged `html`
    expect(tag`<ul>${list}</ul>`.value).toBe('<ul><li>&lt;b&gt;</li><li>x</li><hr></ul>');
  });
});

describe('loopback hosts', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['192.168.1.5', false],
    ['::', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
