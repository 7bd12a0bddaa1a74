import { createServer, type IncomingMessage } from 'node:http';
import type { DingTalkSimControl } from './control.js';
import {
  closeServer,
  createDingTalkApp,
  listen,
  type DingTalkApp,
  type DingTalkSimulatorOptions,
} from './server.js';
import { send } from './wire.js';

export interface DingTalkSimulatorHostOptions {
  /** @defaultValue 0 (a free port) */
  readonly port?: number | undefined;
  /** @defaultValue 127.0.0.1 */
  readonly host?: string | undefined;
  /** The apps, each with its own organisation; every appKey once. */
  readonly apps: readonly (DingTalkSimulatorOptions & { readonly appKey: string })[];
}

export interface HostedDingTalkApp {
  readonly appKey: string;
  readonly appSecret: string;
  readonly corpId: string;
  /** The app's base URL, `…/{appKey}`: a profile's `dingtalk.oapiBaseUrl` and `apiBaseUrl`. */
  readonly url: string;
  readonly control: DingTalkSimControl;
}

export interface DingTalkSimulatorHost {
  readonly url: string;
  readonly apps: readonly HostedDingTalkApp[];
  close(): Promise<void>;
}

/**
 * Many DingTalk apps, each with its own organisation, counters and limits, in one process: each
 * at its own base URL `http://127.0.0.1:<port>/{appKey}`, under which it answers what
 * oapi.dingtalk.com and api.dingtalk.com answer (and `/_sim/...`). Clients add an API's path to
 * the configured base URL, so a profile reaches its app as it would DingTalk's own hosts; apps
 * are told apart by that path alone, never by a token.
 */
export async function startDingTalkSimulatorHost(
  options: DingTalkSimulatorHostOptions,
): Promise<DingTalkSimulatorHost> {
  const byKey = new Map<string, DingTalkApp>();
  for (const o of options.apps) {
    if (byKey.has(o.appKey)) throw new Error(`app ${o.appKey} is given twice`);
    byKey.set(o.appKey, createDingTalkApp(o, `/${encodeURIComponent(o.appKey)}`));
  }
  /** The request's app, with its url made relative to the app's base URL (as express mounts do). */
  const route = (req: IncomingMessage): DingTalkApp | undefined => {
    const url = req.url ?? '/';
    const end = url.slice(1).search(/[/?]/);
    const first = end < 0 ? url.slice(1) : url.slice(1, end + 1);
    const app = byKey.get(decodeURIComponent(first));
    if (app !== undefined) req.url = end < 0 ? '/' : url.slice(end + 1).replace(/^\?/, '/?');
    return app;
  };
  const server = createServer((req, res) => {
    const app = route(req);
    if (app === undefined) send(res, { status: 404, json: { errcode: 404, errmsg: 'no app at this path' } });
    else app.serve(req, res);
  });
  server.on('upgrade', (req, socket, head: Buffer) => {
    const app = route(req);
    if (app === undefined)
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else app.upgrade(req, socket, head);
  });
  const url = await listen(server, options.port, options.host);
  const apps = [...byKey.values()];
  return {
    url,
    apps: apps.map((a) => ({
      appKey: a.appKey,
      appSecret: a.appSecret,
      corpId: a.corpId,
      url: `${url}/${encodeURIComponent(a.appKey)}`,
      control: a.control,
    })),
    close: () => closeServer(server, apps),
  };
}
