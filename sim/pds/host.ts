import { createServer } from 'node:http';
import { errorBody, newRequestId } from './api.js';
import { SimError } from './errors.js';
import { sendJson } from './http.js';
import { closeServer, createPdsDomain, listenOnLoopback, pathOf, type PdsDomain } from './server.js';
import type { PdsSimulatorControl, PdsSimulatorOptions } from './types.js';

export interface PdsSimulatorHostOptions {
  /** 0 or undefined: a free port. Always bound to 127.0.0.1. */
  readonly port?: number | undefined;
  /** The domains, each with its own id (ids compare case-insensitively, as PDS reads them). */
  readonly domains: readonly (PdsSimulatorOptions & { readonly domainId: string })[];
}

export interface HostedPdsDomain {
  readonly domainId: string;
  readonly clientId: string;
  /** The domain's base URL: the host's, then `/{domainId}` (what a profile's `pds.baseUrl` takes). */
  readonly url: string;
  readonly control: PdsSimulatorControl;
}

export interface PdsSimulatorHost {
  /** The server's own URL; each domain is served below it. */
  readonly url: string;
  readonly domains: readonly HostedPdsDomain[];
  close(): Promise<void>;
}

/**
 * Many PDS domains in one process, for the thousand-tenant benchmark and tests: each at its own
 * base URL, `http://127.0.0.1:<port>/{domainId}`, under which it answers the same paths as a
 * domain's own endpoint (`/v2/...`, `/_sim/...`). Clients add an API's path to the configured
 * base URL, so each profile reaches its domain as it would `https://{domainId}.api.aliyunpds.com`.
 * The first path segment is matched case-insensitively, as PDS reads a domain id: two base URLs
 * (`…/bench1`, `…/BENCH1`) reach one domain, as two spellings of a real endpoint do.
 */
export async function startPdsSimulatorHost(options: PdsSimulatorHostOptions): Promise<PdsSimulatorHost> {
  const byId = new Map<string, PdsDomain>();
  for (const o of options.domains) {
    const key = o.domainId.toLowerCase();
    if (byId.has(key)) throw new Error(`domain ${o.domainId} is given twice`);
    byId.set(key, createPdsDomain(o));
  }
  const server = createServer((req, res) => {
    const path = pathOf(req);
    const slash = path.indexOf('/', 1);
    const first = slash < 0 ? path.slice(1) : path.slice(1, slash);
    const domain = byId.get(decodeURIComponent(first).toLowerCase());
    if (domain === undefined) {
      const e = new SimError(404, 'InvalidUri', `No domain is served at /${first}.`);
      sendJson(res, 404, errorBody(e, newRequestId(), 'lower'));
      return;
    }
    domain.serve(req, res, slash < 0 ? '/' : path.slice(slash));
  });
  const url = await listenOnLoopback(server, options.port);
  return {
    url,
    domains: [...byId.values()].map((d) => ({
      domainId: d.domainId,
      clientId: d.clientId,
      url: `${url}/${encodeURIComponent(d.domainId)}`,
      control: d.control,
    })),
    close: async () => {
      for (const d of byId.values()) d.close();
      await closeServer(server);
    },
  };
}
