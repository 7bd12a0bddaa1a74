import type { FastifyPluginAsync } from 'fastify';
import { workersOnline } from '../console-data.js';
import type { WebDeps } from '../deps.js';
import { checkRoutes } from './checks.js';
import { peopleRoutes } from './people.js';
import { profileRoutes } from './profiles.js';
import { runRoutes } from './runs.js';

/** The admin JSON API; the pages' buttons and live updates go through it too. */
export function apiPlugin(deps: WebDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(profileRoutes(deps));
    await app.register(runRoutes(deps));
    await app.register(checkRoutes(deps));
    await app.register(peopleRoutes(deps));
    app.get('/workers', () => workersOnline(deps));
  };
}
