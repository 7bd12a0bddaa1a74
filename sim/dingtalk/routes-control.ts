import { ZodError } from 'zod';
import { fullGc } from '../gc.js';
import type { SimRequest } from './context.js';
import type { DingTalkSimControl } from './control.js';
import type { SimResponse } from './envelope.js';
import type { OrgOp } from './org-mutations.js';
import { SimOrgError } from './org-store.js';

/**
 * `/_sim/*`: counters, faults and org mutations over HTTP, for tests and benchmarks in other
 * processes. Not counted and never faulted. Bad bodies answer 400 `{error}`.
 */
export function handleControl(req: SimRequest, control: DingTalkSimControl): SimResponse {
  try {
    switch (`${req.method} ${req.path}`) {
      case 'GET /_sim/counters':
        return { status: 200, json: control.counters() };
      case 'POST /_sim/counters/reset':
        control.resetCounters();
        return { status: 200, json: control.counters() };
      case 'GET /_sim/faults':
        return { status: 200, json: control.faults() };
      case 'POST /_sim/faults':
        return { status: 200, json: control.setFaults(req.body ?? {}) };
      case 'GET /_sim/org':
        return { status: 200, json: control.org() };
      case 'POST /_sim/org':
        return { status: 200, json: control.mutate(req.body as OrgOp) };
      case 'POST /_sim/gc':
        fullGc();
        return { status: 200, json: {} };
      default:
        return { status: 404, json: { error: `no control route ${req.method} ${req.path}` } };
    }
  } catch (err) {
    if (err instanceof ZodError) {
      return {
        status: 400,
        json: { error: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
      };
    }
    if (err instanceof SimOrgError) return { status: 400, json: { error: err.message } };
    throw err;
  }
}
