import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '../redis/client.js';
import { ZodError } from 'zod';
import { ConflictError } from '../errors/conflict-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';
import type { Locale } from '../i18n/catalog.js';
import { requestT } from './locale.js';

/** Every error answer of the API: a stable code, and a message in the request's language. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

/** The fields a request got wrong, by their paths (zod's own words stay out of the answer). */
function zodFields(err: ZodError): string {
  const fields = err.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    const path = i.path.map(String).join('.');
    return keys.length > 0 ? keys.map((k) => (path === '' ? k : `${path}.${k}`)).join(', ') : path;
  });
  return [...new Set(fields.filter((f) => f !== ''))].join(', ') || '-';
}

const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/**
 * One error handler for every route: a status, a stable code and a one-line message in the
 * request's language, never a stack trace, and for unexpected errors not even the message (it
 * could name internals). Redis down is 503.
 */
export function errorHandler(redis: RedisClient, configLocale: Locale) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): ErrorBody => {
    const t = requestT(request, configLocale);
    const send = (status: number, error: string, message: string) => {
      void reply.code(status);
      return { error, message };
    };
    if (err instanceof ZodError)
      return send(400, 'bad_request', t('api.bad_request', { fields: zodFields(err) }));
    if (err instanceof NotFoundError)
      return send(404, 'not_found', t(`api.not_found.${err.what}`, { id: err.id }));
    if (err instanceof ConflictError)
      return send(409, 'conflict', t('api.not_held', { runId: err.runId, why: err.why(t) }));
    if (err instanceof RedisUnavailableError || redis.status !== 'ready')
      return send(503, 'unavailable', t('api.unavailable'));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return send(
        status,
        err.code ?? 'bad_request',
        CSRF_CODES.has(err.code) ? t('api.csrf') : t('api.refused', { status }),
      );
    request.log.error({ err: err.message, url: request.url }, 'request failed');
    return send(500, 'internal', t('api.internal'));
  };
}
