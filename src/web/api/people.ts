import type { FastifyPluginCallback } from 'fastify';
import { departmentsOf, findPeople, personOf } from '../people-data.js';
import type { WebDeps } from '../deps.js';
import { peopleQuery, personParams, personQuery, profileParams } from './schemas.js';

/** `/api/people?q=`, `/api/people/:pdsUserId` and a profile's department tree. */
export function peopleRoutes(deps: WebDeps): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/people', (req) => {
      const { q, profile } = peopleQuery.parse(req.query);
      return findPeople(deps, q ?? '', profile);
    });
    app.get('/people/:pdsUserId', (req) => {
      const { pdsUserId } = personParams.parse(req.params);
      return personOf(deps, pdsUserId, personQuery.parse(req.query).profile);
    });
    app.get('/profiles/:id/departments', (req) => departmentsOf(deps, profileParams.parse(req.params).id));
    done();
  };
}
