import { createServer } from 'node:http';
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

/**
 * Starts the PDS simulator on 127.0.0.1: the 2022-03-01 user, group and account calls with
 * PDS's rules, JWT application tokens, switchable faults, counters and seedable state.
 */
export async function startPdsSimulator(options: PdsSimulatorOptions): Promise<PdsSimulator> {
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

  const server = createServer((req, res) => {
    // every answer is dated by the simulator's own clock, as PDS dates its answers by its own
    res.setHeader('date', new Date(now()).toUTCString());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const isControl = path.startsWith('/_sim/');
    const handling = isControl ? handleControl(control, state, req, res, path) : api.handle(req, res, path);
    handling.catch((err: unknown) => {
      const e =
        err instanceof SimError ? err : new SimError(500, 'InternalError', `simulator error: ${String(err)}`);
      if (!isControl) counters.answered(path, e.status);
      sendJson(res, e.status, errorBody(e, newRequestId(), faults.current.errorCasing));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    domainId,
    clientId,
    control,
    close: async () => {
      api.cancelPauses();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
