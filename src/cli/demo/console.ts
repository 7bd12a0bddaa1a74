import type { WebSettings } from '../../config/schema.js';
import { ExitCode } from '../../errors/exit-code.js';
import type { RoleContext } from '../../process/role.js';
import { startWeb } from '../../../workers/web.js';
import { cliError, type CliLang } from '../lang.js';
import { anyFreePort } from './port.js';

/** By its code alone: a system error need not be an `Error` of this realm (under Jest's vm it is not). */
const addressInUse = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';

/**
 * Starts the demo's console and returns the web settings it listens with. The port was free
 * when the demo started, but the stack starts in between (seconds on a busy machine) and another
 * program, another demo say, may bind it meanwhile: the default port, taken by then, gives way
 * to a free one as it does when taken at the start; a port given with --port is refused as
 * taken. The URL the demo prints follows the port actually bound.
 */
export async function startConsole(
  ctx: RoleContext,
  o: { readonly portFallback: boolean; readonly lang: CliLang; readonly note: (line: string) => void },
): Promise<WebSettings> {
  for (let c = ctx; ;) {
    const web = c.loaded.config.web;
    if (web === undefined) throw new Error('the demo config has no web section');
    try {
      await startWeb(c);
      return web;
    } catch (err) {
      if (!addressInUse(err)) throw err;
      if (!o.portFallback)
        throw cliError(o.lang, ExitCode.Usage, 'port_taken', 'demo.portTaken', { port: web.port });
      const port = await anyFreePort(web.host);
      o.note(o.lang.t('demo.portFallback', { wanted: web.port, port }));
      c = { ...c, loaded: { ...c.loaded, config: { ...c.loaded.config, web: { ...web, port } } } };
    }
  }
}
