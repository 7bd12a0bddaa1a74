import { createServer } from 'node:net';
import { HostUnusable } from '../../errors/host-unusable.js';

/**
 * Whether a port is free to listen on now, on the address the console will listen on. Only a
 * port in use counts as taken; any other refusal is the host's (HostUnusable).
 */
function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(false) : reject(new HostUnusable(host, err.code ?? err.message)),
    );
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** A port the kernel says is free on `host`. */
export function anyFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The console's port: the one asked for when free. A port given with --port that is taken is an
 * error (the operator meant it); the default one, taken, gives way to a free one.
 */
export async function consolePort(
  wanted: number,
  explicit: boolean,
  host: string,
): Promise<{ port: number; fellBack: boolean } | { taken: number }> {
  if (await isFree(wanted, host)) return { port: wanted, fellBack: false };
  if (explicit) return { taken: wanted };
  return { port: await anyFreePort(host), fellBack: true };
}
