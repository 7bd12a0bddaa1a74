import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { until } from './service.js';
import { tempDir } from './files.js';

/** Debian's nginx (.ci/run installs it with apt when missing). */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/**
 * `text` with each `[from, to]` replaced, every `from` required exactly once: a snippet from the
 * docs changes only where the test says, and a doc edit that moves one of them fails loudly.
 */
export function substitute(text: string, pairs: readonly (readonly [string, string])[]): string {
  return pairs.reduce((out, [from, to]) => {
    const count = out.split(from).length - 1;
    if (count !== 1) throw new Error(`expected "${from}" once in the snippet, found it ${count} times`);
    return out.replace(from, to);
  }, text);
}

/** A self-signed certificate for `name`, made by the openssl CLI (Debian's `openssl` package). */
export async function selfSignedCert(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name}`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert, key };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export interface Nginx {
  readonly dir: string;
  /** The access log so far: which requests went through the proxy. */
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * nginx as its own foreground process, everything of it (config, pid, logs, temp files) in a temp
 * dir, serving `servers` (server blocks, as in sites-enabled) until `stop()`.
 */
export async function startNginx(servers: string, ports: readonly number[]): Promise<Nginx> {
  const tmp = tempDir('dtsync-nginx-');
  // workers run as nobody when started by root: they must reach their temp dirs
  chmodSync(tmp.dir, 0o755);
  const at = (name: string) => join(tmp.dir, name);
  const conf = tmp.write(
    'nginx.conf',
    `worker_processes 1;
daemon off;
pid ${at('nginx.pid')};
error_log ${at('error.log')} warn;
events { worker_connections 64; }
http {
  access_log ${at('access.log')};
  client_body_temp_path ${at('client_body')};
  proxy_temp_path ${at('proxy')};
  fastcgi_temp_path ${at('fastcgi')};
  uwsgi_temp_path ${at('uwsgi')};
  scgi_temp_path ${at('scgi')};
${servers}
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', tmp.dir, '-c', conf, '-e', at('error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const errorLog = () => (existsSync(at('error.log')) ? readFileSync(at('error.log'), 'utf8') : '');
  try {
    await until(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`nginx exited ${child.exitCode}: ${stderr}${errorLog()}`);
        return (await Promise.all(ports.map(listening))).every(Boolean);
      },
      'nginx to listen',
      10_000,
      20,
    );
  } catch (err) {
    child.kill('SIGTERM');
    tmp.cleanup();
    throw err;
  }
  return {
    dir: tmp.dir,
    accessLog: () => readFileSync(at('access.log'), 'utf8'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM'); // nginx's fast shutdown
        await exited;
      }
      tmp.cleanup();
    },
  };
}
