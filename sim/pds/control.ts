import type { IncomingMessage, ServerResponse } from 'node:http';
import { fullGc } from '../gc.js';
import { parseObject, readBody, sendJson } from './http.js';
import type { DomainState } from './state.js';
import type { PdsSimulatorControl } from './types.js';

/** Seeding the benchmark's domain (100,000 users, 300,000 links) takes big bodies. */
const CONTROL_BODY_LIMIT = 1024 * 1024 * 1024;

/** `/_sim/*`: the in-process control over HTTP (loopback only, no token). */
export async function handleControl(
  control: PdsSimulatorControl,
  state: DomainState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const raw = await readBody(req, CONTROL_BODY_LIMIT);
  const body: unknown = raw === undefined ? undefined : parseObject(raw);
  const route = `${req.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /_sim/counters':
      return sendJson(res, 200, control.counters());
    case 'POST /_sim/counters/reset':
      control.resetCounters();
      return sendJson(res, 200, {});
    case 'GET /_sim/faults':
      return sendJson(res, 200, control.faults());
    case 'POST /_sim/faults':
      return sendJson(res, 200, control.setFaults(body));
    case 'GET /_sim/state':
      // Not cloned (control.state() is): serialised right away.
      return sendJson(res, 200, state.dump());
    case 'POST /_sim/state':
      return sendJson(res, 200, control.seed(body));
    case 'POST /_sim/gc':
      fullGc();
      return sendJson(res, 200, {});
    default:
      return sendJson(res, 404, { code: 'InvalidUri', message: `no simulator control ${route}` });
  }
}
