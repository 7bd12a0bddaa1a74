import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSettings } from '../config/schema.js';
import type { WebDeps } from './deps.js';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board over the sync queue, registered inside the secured scope (login and CSRF hooks
 * apply to it). Read-only unless `web.dashboard.readOnly: false`.
 */
export function dashboardPlugin(deps: WebDeps, web: WebSettings): FastifyPluginAsync {
  return async (app) => {
    const adapter = new FastifyAdapter();
    adapter.setBasePath(DASHBOARD_PATH);
    const readOnlyMode = web.dashboard.readOnly;
    createBullBoard({
      queues: [new BullMQAdapter(deps.queue, { readOnlyMode, allowRetries: !readOnlyMode })],
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: 'dtsync' } },
    });
    await app.register(adapter.registerPlugin());
  };
}
