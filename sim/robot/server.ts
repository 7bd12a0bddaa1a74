import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RobotMessage {
  readonly msgtype: string;
  readonly markdown: { readonly title: string; readonly text: string };
}

export interface RobotFake {
  /** The webhook URL to configure (with this robot's access_token). */
  readonly webhook: string;
  /** Messages accepted: correctly signed, within the hour, for this token. */
  readonly accepted: RobotMessage[];
  /** Requests refused, with the errcode answered. */
  readonly refused: { readonly errcode: number; readonly errmsg: string }[];
  /** Requests that were never answered (hang mode). */
  readonly held: ServerResponse[];
  /** Stop answering: requests are held open until close(). */
  hang(on: boolean): void;
  close(): Promise<void>;
}

/**
 * A loopback DingTalk group robot with 加签 security: it checks the signature the way DingTalk
 * does (HMAC-SHA256 of `${timestamp}\n${secret}` keyed by the secret, Base64, URL-encoded in
 * `sign`; the timestamp within an hour) and answers {errcode, errmsg}, 310000 for a bad one.
 */
export async function startRobotFake(
  secret: string,
  token = 'robot-token-123',
  onMessage: (m: RobotMessage) => void = () => undefined,
): Promise<RobotFake> {
  const accepted: RobotMessage[] = [];
  const refused: { errcode: number; errmsg: string }[] = [];
  const held: ServerResponse[] = [];
  let hanging = false;
  const answer = (res: ServerResponse, errcode: number, errmsg: string) => {
    if (errcode !== 0) refused.push({ errcode, errmsg });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg }));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (hanging) {
        held.push(res);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://robot');
      if (req.method !== 'POST' || url.pathname !== '/robot/send') return answer(res, 404, 'not found');
      if (url.searchParams.get('access_token') !== token) return answer(res, 300001, 'token is not exist');
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const sign = url.searchParams.get('sign') ?? ''; // URLSearchParams has URL-decoded it
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest();
      const given = Buffer.from(sign, 'base64');
      const inTime = Math.abs(Date.now() - Number(timestamp)) < 3_600_000;
      if (!inTime || given.length !== expected.length || !timingSafeEqual(given, expected))
        return answer(res, 310000, 'sign not match');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RobotMessage;
      if (body.msgtype !== 'markdown' || typeof body.markdown?.text !== 'string')
        return answer(res, 40035, 'invalid msgtype');
      accepted.push(body);
      onMessage(body);
      answer(res, 0, 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    webhook: `http://127.0.0.1:${port}/robot/send?access_token=${token}`,
    accepted,
    refused,
    held,
    hang: (on) => {
      hanging = on;
    },
    close: async () => {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
