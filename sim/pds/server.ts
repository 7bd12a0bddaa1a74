import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiPipeline, errorBody, newRequestId } from './api.js';
import { SimAuth } from './auth.js';
import type { Routes, SimContext } from './context.js';
import { handleControl } from './control.js';
import { Counters } from '../counters.js';
import { SimError } from './errors.js';
import { FaultState } from './faults.js';
import { groupRoutes } from './groups.js';
import { sendJson } from './http.js';
import { linkRoutes } from './links.js';
import { seedState } from './seed.js';
import { DomainState } from './state.js';
import type { PdsSimulator, PdsSimulatorControl, PdsSimulatorOptions } from './types.js';
import { userRoutes } from './users.js';

/** One simulated domain: its state, token issuer, faults and counters, without a server. */
export interface PdsDomain {
  readonly domainId: string;
  readonly clientId: string;
  readonly control: PdsSimulatorControl;
  /** Answers one request; `path` is the request's path below the domain's base URL. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): void;
  /** Ends pending latency pauses (server shutdown). */
  close(): void;
}

/**
 * A PDS domain with PDS's rules: the 2022-03-01 user, group and account calls, JWT application
 * tokens, switchable faults, counters and seedable state. Served alone by `startPdsSimulator`, or
 * with many others by `startPdsSimulatorHost`.
 */
export function createPdsDomain(options: PdsSimulatorOptions): PdsDomain {
  const domainId = options.domainId ?? 'sim1';
  const clientId = options.clientId ?? 'dtsync-sim-app';
  const now = options.now ?? Date.now;
  const state = new DomainState();
  const ctx: SimContext = { state, domainId, clientId, userQuota: options.userQuota, now };
  const routes: Routes = { ...userRoutes(ctx), ...groupRoutes(ctx), ...linkRoutes(ctx) };
  const ttlSeconds = options.tokenTtlSeconds ?? 7200;
  const auth = new SimAuth({ domainId, clientId, publicKey: options.publicKey, ttlSeconds, now });
  const faults = new FaultState({ qps: options.qps ?? null });
  const counters = new Counters({ throttledStatus: 429 });
  const api = new ApiPipeline({ routes, auth, faults, counters });

  const control: PdsSimulatorControl = {
    counters: () => counters.snapshot(),
    resetCounters: () => {
      counters.reset();
      api.resetWindow();
    },
    faults: () => faults.current,
    setFaults: (patch) => {
      if (faults.merge(patch).expireTokens) auth.expireAll();
      return faults.current;
    },
    expireTokens: () => auth.expireAll(),
    state: () => structuredClone(state.dump()),
    seed: (seed) => seedState(state, seed, now()),
    secretsSeen: () => auth.secretsSeen(),
  };

  return {
    domainId,
    clientId,
    control,
    serve(req, res, path) {
      // every answer is dated by the simulator's own clock, as PDS dates its answers by its own
      res.setHeader('date', new Date(now()).toUTCString());
      const isControl = path.startsWith('/_sim/');
      const handling = isControl ? handleControl(control, state, req, res, path) : api.handle(req, res, path);
      handling.catch((err: unknown) => {
        const e =
          err instanceof SimError
            ? err
            : new SimError(500, 'InternalError', `simulator error: ${String(err)}`);
        if (!isControl) counters.answered(path, e.status);
        sendJson(res, e.status, errorBody(e, newRequestId(), faults.current.errorCasing));
      });
    },
    close: () => api.cancelPauses(),
  };
}

/** The path of a request, without its query. */
export const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0] ?? '/';

/** Starts one simulated PDS domain on 127.0.0.1, at the server's root. */
export async function startPdsSimulator(options: PdsSimulatorOptions): Promise<PdsSimulator> {
  const domain = createPdsDomain(options);
  const server = createServer((req, res) => domain.serve(req, res, pathOf(req)));
  const url = await listenOnLoopback(server, options.port);
  return {
    url,
    domainId: domain.domainId,
    clientId: domain.clientId,
    control: domain.control,
    close: async () => {
      domain.close();
      await closeServer(server);
    },
  };
}

/** Listens on 127.0.0.1 (a free port when `port` is 0 or undefined) and returns the base URL. */
export async function listenOnLoopback(server: Server, port: number | undefined): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
