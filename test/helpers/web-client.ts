import { basic } from './web.js';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as the type the test expects (an unchecked view, as JSON.parse gives). */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  json<T = Record<string, unknown>>(): T;
}

/** A loopback HTTP client of the console that keeps every answer, to search them for secrets. */
export class WebClient {
  readonly answers: string[] = [];
  constructor(readonly base: string) {}

  async call(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
    const text = await res.text();
    this.answers.push(`${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}`);
    const json = () => JSON.parse(text) as never;
    return { status: res.status, headers: res.headers, text, json };
  }

  /** A browser-like session: basic auth, the CSRF cookies from a page load, and the token header. */
  async csrfSession(auth = basic()): Promise<Record<string, string>> {
    const page = await this.call('GET', '/', { headers: { authorization: auth } });
    const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    const token = cookies.find((c) => c.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length) ?? '';
    return {
      authorization: auth,
      cookie: cookies.join('; '),
      'x-csrf-token': decodeURIComponent(token),
      origin: this.base,
    };
  }
}
