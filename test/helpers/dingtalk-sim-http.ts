import type { DingTalkSimulator } from '../../sim/dingtalk/server.js';

/** Raw HTTP against the simulator, so the tests see the wire and not a client's reading of it. */
export class SimHttp {
  constructor(readonly sim: DingTalkSimulator) {}

  async token(): Promise<string> {
    const body = await this.getJson(
      `/gettoken?appkey=${this.sim.appKey}&appsecret=${encodeURIComponent(this.sim.appSecret)}`,
    );
    return body.access_token as string;
  }

  async getJson(
    pathAndQuery: string,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    return (await this.get(pathAndQuery, headers)).body;
  }

  async get(
    pathAndQuery: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.sim.url}${pathAndQuery}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async post(
    pathAndQuery: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.sim.url}${pathAndQuery}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  }

  /** A topapi call with a fresh token: the envelope. */
  async topapi(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
    const t = token ?? (await this.token());
    return (await this.post(`${path}?access_token=${t}`, body)).body;
  }
}
