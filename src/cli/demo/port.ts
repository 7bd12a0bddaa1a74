import { createServer } from 'node:net';

/** Whether a loopback port is free to listen on now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port the kernel says is free. */
function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
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
): Promise<{ port: number; fellBack: boolean } | { taken: number }> {
  if (await isFree(wanted)) return { port: wanted, fellBack: false };
  if (explicit) return { taken: wanted };
  return { port: await anyFreePort(), fellBack: true };
}
