import type { FastifyRequest } from 'fastify';

/** Who acts for a request: set by the secured scope's auth hook. */
export function actorOf(req: FastifyRequest): string {
  return req.principal?.actor ?? 'web';
}
