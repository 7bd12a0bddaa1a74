import { z, ZodError } from 'zod';
import { bodyObject, type SimRequest } from '../context.js';
import type { SimResponse } from '../envelope.js';
import type { StreamGateway } from './gateway.js';

const emitSchema = z.strictObject({
  eventType: z.string().min(1),
  /** The event's `data`, sent as JSON text. */
  data: z.record(z.string(), z.unknown()).default({}),
});

/**
 * `/_sim/stream/*`: the gateway's record, knobs and actions over HTTP, for tests and the bench
 * in other processes. Bad bodies answer 400 `{error}`.
 *
 * - `GET /_sim/stream`: the record (stats, connections, events, deliveries, ACKs, pongs)
 * - `GET|POST /_sim/stream/knobs`: read or merge the knobs (`refuseSeconds` refuses reconnects)
 * - `POST /_sim/stream/emit` `{eventType, data}`: one event of any type
 * - `POST /_sim/stream/disconnect` `{reason?}`: SYSTEM disconnect to every live connection
 * - `POST /_sim/stream/drop`: drop every live connection silently (no close frame, no pings)
 * - `POST /_sim/stream/ping`: a SYSTEM ping on every live connection now
 */
export function handleStreamControl(req: SimRequest, gateway: StreamGateway): SimResponse {
  try {
    switch (`${req.method} ${req.path}`) {
      case 'GET /_sim/stream':
        return { status: 200, json: gateway.record() };
      case 'GET /_sim/stream/knobs':
        return { status: 200, json: gateway.knobs() };
      case 'POST /_sim/stream/knobs':
        return { status: 200, json: gateway.setKnobs(bodyObject(req) ?? {}) };
      case 'POST /_sim/stream/emit': {
        const { eventType, data } = emitSchema.parse(req.body);
        return { status: 200, json: gateway.emit(eventType, data) };
      }
      case 'POST /_sim/stream/disconnect': {
        const reason = bodyObject(req)?.reason;
        const why = typeof reason === 'string' ? reason : 'server restart';
        return { status: 200, json: { connections: gateway.disconnect(why) } };
      }
      case 'POST /_sim/stream/drop':
        return { status: 200, json: { connections: gateway.dropConnections() } };
      case 'POST /_sim/stream/ping':
        gateway.ping();
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
    throw err;
  }
}
