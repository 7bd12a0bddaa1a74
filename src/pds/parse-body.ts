import type { z } from 'zod';
import { LocalCode, PdsError } from '../errors/pds-error.js';
import { requestIdOf, type RawResponse } from './parse-error.js';

/**
 * The validated body of a 2xx answer, or a typed MalformedResponse error naming the path. Zod's
 * issue messages name fields and expected types only, never the received values (the token
 * answer holds the access token).
 */
export function parseSuccess<S extends z.ZodType>(path: string, res: RawResponse, schema: S): z.output<S> {
  const malformed = (why: string) =>
    new PdsError(`PDS ${path} answered ${res.status} with a malformed body: ${why}`, {
      path,
      code: LocalCode.Malformed,
      httpStatus: res.status,
      requestId: requestIdOf(res),
      retryable: false,
    });
  let json: unknown;
  if (res.body.trim() === '') {
    // add_member, link, … answer `{}`; some gateways answer 204 with no body at all.
    json = {};
  } else {
    try {
      json = JSON.parse(res.body);
    } catch {
      throw malformed('not JSON');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
      .join('; ');
    throw malformed(issues);
  }
  return parsed.data;
}
