import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';

/** An unknown profile, run or check: 404 with the message. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A request that conflicts with the run's state (approving a run no longer held): 409. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Redis does not answer: 503, try again later. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is unreachable; try again later');
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

function zodReason(err: ZodError): string {
  return err.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/**
 * One error handler for every route: a status and a one-line reason, never a stack trace, and
 * for unexpected errors not even the message (it could name internals). Redis down is 503.
 */
export function errorHandler(redis: Redis) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): ErrorBody => {
    const send = (status: number, error: string, message: string) => {
      void reply.code(status);
      return { error, message };
    };
    if (err instanceof ZodError) return send(400, 'bad_request', zodReason(err));
    if (err instanceof NotFoundError) return send(404, 'not_found', err.message);
    if (err instanceof ConflictError) return send(409, 'conflict', err.message);
    if (err instanceof RedisUnavailableError || redis.status !== 'ready')
      return send(503, 'unavailable', 'Redis is unreachable; try again later');
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(status, err.code ?? 'bad_request', err.message);
    request.log.error({ err: err.message, url: request.url }, 'request failed');
    return send(500, 'internal', 'internal error (see the web process log)');
  };
}
