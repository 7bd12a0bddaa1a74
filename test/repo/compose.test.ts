import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { readEnv } from '../../src/config/env.js';
import { buildProgram } from '../../src/cli/program.js';
import { LOCALES, translator } from '../../src/i18n/catalog.js';
import { ExitCode } from '../../src/errors/exit-code.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import {
  copiesOf,
  dockerfileStages,
  exposedPorts,
  healthcheckCommand,
  layOut,
  runtimeChain,
  shipsPath,
  type Stage,
} from '../helpers/dockerfile.js';

/** The demo's default console port (`dtsync demo --help`). */
const DEMO_PORT = 8080;

interface Service {
  command?: string[];
  image?: string;
  build?: { context: string; target?: string };
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const stages = dockerfileStages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const example = readFileSync(join(ROOT, 'dtsync.config.example.yaml'), 'utf8');
const exampleConfig = parse(example) as {
  web: { port: number };
  profiles: { id: string; pds: { privateKeyFile?: string } }[];
};
const stage = (name: string): Stage => {
  const s = stages.find((x) => x.name === name);
  if (s === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
  return s;
};

/** The dtsync services: the ones built from this Dockerfile. */
const roles = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
/** Variables the service reads: the env module's, and the `${VAR}`s of the example config. */
const knownVars = new Set([
  ...Object.keys(readEnv({})),
  ...[...example.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] ?? ''),
]);
/** Variables Node itself reads. */
const nodeVars = new Set(['NODE_OPTIONS']);
/** Files an operator puts next to docker-compose.yml, each made from something in the repo. */
const operatorFiles: Record<string, string> = {
  './dtsync.config.yaml': 'dtsync.config.example.yaml',
  [`./${posix.basename(exampleConfig.profiles[0]?.pds.privateKeyFile ?? '')}`]:
    "the example profile's privateKeyFile",
};

const commandsOfCli = async () => (await buildProgram()).commands.map((c) => c.name());
const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => {
    const [host = '', container = ''] = v.split(':');
    return { host, container };
  });
const containerPort = (p: string) => Number(p.split(':').pop()?.split('/')[0]);

/** Loads the example config as the service would, with exactly the variables it is given. */
function loadAs(service: Service, requireWeb: boolean): string[] {
  const env = Object.fromEntries(Object.keys(service.environment ?? {}).map((k) => [k, `set-${k}`]));
  try {
    loadConfig({ path: join(ROOT, 'dtsync.config.example.yaml'), env, requireWeb });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

// docker-compose's own validation (`config -q`) runs in .ci/run, where it is installed.
describe('docker-compose.yml', () => {
  it('runs Redis with AOF on and noeviction (BullMQ requires it), on a volume', () => {
    const redis = compose.services.redis;
    const cmd = (redis?.command ?? []).join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    const volume = redis?.volumes?.find((v) => v.endsWith(':/data'))?.split(':')[0] ?? '';
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it('protects Redis with REDIS_PASSWORD from the environment, checked by its healthcheck, and refuses an empty one', () => {
    const redis = compose.services.redis;
    expect(redis?.environment?.REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD(:-)?\}$/);
    const cmd = (redis?.command ?? []).join(' ');
    expect(cmd).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(cmd).toMatch(/\[ -n "\$\$REDIS_PASSWORD" \] \|\| \{[^}]*exit 1; \}/);
    expect((redis?.healthcheck?.test ?? []).join(' ')).toMatch(
      /REDISCLI_AUTH="\$\$REDIS_PASSWORD" redis-cli ping/,
    );
  });

  it('gives every role a REDIS_URL with the password, on the Redis service, which it waits for', () => {
    for (const [name, svc] of roles.filter(([, s]) => s.profiles === undefined)) {
      const url = new URL((svc.environment?.REDIS_URL ?? '').replace('${REDIS_PASSWORD:-}', 'pw'));
      expect({ name, host: url.hostname, port: url.port, password: url.password }).toEqual({
        name,
        host: 'redis',
        port: '6379',
        password: 'pw',
      });
    }
  });

  it('runs each service with a dtsync command that exists', async () => {
    const commands = await commandsOfCli();
    for (const [, svc] of roles.filter(([name]) => name !== 'demo')) {
      expect(commands).toContain(svc.command?.[0]);
    }
    expect(roles.map(([name]) => name)).toEqual(expect.arrayContaining(['scheduler', 'worker', 'web']));
  });

  // dtsync demo is being built on its own branch: this turns red when it lands; make it `it`
  it('runs the demo profile with the dtsync command demo, which exists', async () => {
    expect(await commandsOfCli()).toContain(compose.services.demo?.command?.[0]);
  });

  it('runs the demo with its console on 0.0.0.0, so the published port reaches it, with flags dtsync demo has', async () => {
    const command = compose.services.demo?.command ?? [];
    expect(command.slice(command.indexOf('--host'), command.indexOf('--host') + 2)).toEqual([
      '--host',
      '0.0.0.0',
    ]);
    const demo = (await buildProgram(['node', 'dtsync', 'demo'])).commands.find((c) => c.name() === 'demo');
    expect(demo?.exitOverride().parseOptions(command.slice(1))).toEqual({ operands: [], unknown: [] });
  });

  it('builds only targets the Dockerfile has: runtime for the roles, demo for the demo profile', () => {
    const names = stages.map((s) => s.name);
    for (const [, svc] of roles) expect(names).toContain(svc.build?.target);
    expect(compose.services.demo?.build?.target).toBe('demo');
    expect(compose.services.demo?.profiles).toEqual(['demo']);
    for (const name of ['scheduler', 'worker', 'web'])
      expect(compose.services[name]?.build?.target).toBe('runtime');
  });

  it('passes the roles only variables the service reads', () => {
    for (const [, svc] of roles) {
      for (const key of Object.keys(svc.environment ?? {})) expect(knownVars).toContain(key);
    }
  });

  it("gives each role exactly the secrets the example config needs for it: the web none of a profile's", () => {
    for (const name of ['scheduler', 'worker'])
      expect(loadAs(compose.services[name] ?? {}, false)).toEqual([]);
    expect(loadAs(compose.services.web ?? {}, true)).toEqual([]);
    expect(Object.keys(compose.services.web?.environment ?? {})).not.toContain('DINGTALK_APP_SECRET');
  });

  it('mounts the config where DTSYNC_CONFIG points, and the key where the config resolves privateKeyFile', () => {
    for (const [name, svc] of roles.filter(([, s]) => s.profiles === undefined)) {
      const config = svc.environment?.DTSYNC_CONFIG ?? '';
      const containers = mounts(svc).map((m) => m.container);
      expect({ name, mounted: containers.includes(config) }).toEqual({ name, mounted: true });
      if (name === 'web') continue; // the web role never reads a profile's key
      const key = posix.resolve(posix.dirname(config), exampleConfig.profiles[0]?.pds.privateKeyFile ?? '');
      expect({ name, key: containers.includes(key) }).toEqual({ name, key: true });
    }
  });

  it('mounts only files of the repo or ones the operator makes from it', () => {
    for (const [, svc] of roles) {
      for (const { host } of mounts(svc)) {
        const origin = operatorFiles[host];
        if (origin !== undefined) continue;
        expect(existsSync(join(ROOT, host))).toBe(true);
      }
    }
    expect(existsSync(join(ROOT, operatorFiles['./dtsync.config.yaml'] ?? ''))).toBe(true);
  });

  it("publishes the web role's port, on the host's loopback only", () => {
    for (const [, svc] of Object.entries(compose.services)) {
      for (const p of svc.ports ?? []) {
        expect(p.startsWith('127.0.0.1:')).toBe(true);
        expect(containerPort(p)).toBe(exampleConfig.web.port);
      }
    }
    expect(compose.services.web?.ports?.length).toBe(1);
  });

  it('turns the /healthz check off for the roles that serve no HTTP, and keeps it for the web', () => {
    for (const [name, svc] of roles) {
      const serves = ['web', 'start', 'demo'].includes(svc.command?.[0] ?? '');
      expect({ name, disabled: svc.healthcheck?.disable === true }).toEqual({ name, disabled: !serves });
    }
  });
});

describe('Dockerfile', () => {
  const runtime = runtimeChain(stages, 'runtime');
  const demo = runtimeChain(stages, 'demo');

  it('runs on Node 24 LTS, pinned to a minor version, in every stage', () => {
    const bases = stages.map((s) => s.from).filter((f) => f.startsWith('node:'));
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:24\.\d+-bookworm-slim$/);
  });

  it('has the runtime and demo targets, the demo built on the runtime', () => {
    expect(stage('runtime').from).toMatch(/^node:/);
    expect(stage('demo').from).toBe('runtime');
  });

  it('runs the service as a non-root user', () => {
    for (const chain of [runtime, demo]) {
      const user = chain.flatMap((s) => s.lines.filter((l) => l.startsWith('USER '))).pop();
      expect(user).toBe('USER node');
    }
  });

  it('installs only the production dependencies in the runtime, and tsx is not one of them', () => {
    expect(stage('runtime').lines).toContain(
      'RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force',
    );
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    expect(lock.packages['node_modules/tsx']?.dev).toBe(true);
  });

  it('copies compiled JavaScript into the runtime, never the TypeScript sources', () => {
    const fromContext = runtime.flatMap((s) => copiesOf(s)).filter((c) => c.from === undefined);
    expect(fromContext.flatMap((c) => c.sources).sort()).toEqual([
      'bin',
      'package-lock.json',
      'package.json',
    ]);
    const built = runtime.flatMap((s) => copiesOf(s)).filter((c) => c.from !== undefined);
    expect(built.flatMap((c) => c.sources).sort()).toEqual(['/app/dist/src', '/app/dist/workers']);
  });

  it('copies no simulator or bench into the runtime target', () => {
    for (const tool of ['/app/dist/sim', '/app/dist/bench']) {
      expect({ tool, shipped: shipsPath(stages, runtime, tool) }).toEqual({ tool, shipped: false });
    }
  });

  it('adds the simulators in the demo target, and still no bench', () => {
    expect(shipsPath(stages, demo, '/app/dist/sim')).toBe(true);
    expect(shipsPath(stages, demo, '/app/dist/bench')).toBe(false);
  });

  it('copies only paths that exist in the repo or that the build makes', () => {
    for (const s of stages) {
      for (const copy of copiesOf(s)) {
        for (const src of copy.sources) {
          const local = copy.from === undefined ? join(ROOT, src) : join(ROOT, src.replace(/^\/app\//, ''));
          expect({ src, exists: existsSync(local) }).toEqual({ src, exists: true });
        }
      }
    }
  });

  it('starts bin/dtsync.js with the heap flags, and NODE_OPTIONS holds only flags Node allows there', async () => {
    const entry = runtime.flatMap((s) => s.lines.filter((l) => l.startsWith('ENTRYPOINT '))).pop() ?? '';
    const argv = JSON.parse(entry.slice('ENTRYPOINT '.length)) as string[];
    expect(argv).toEqual(['node', '--initial-old-space-size=192', 'bin/dtsync.js']);
    const nodeOptions = runtime
      .flatMap((s) => s.lines.filter((l) => l.startsWith('ENV NODE_OPTIONS=')))
      .pop()
      ?.slice('ENV NODE_OPTIONS='.length);
    expect(nodeOptions).toContain('--max-old-space-size=');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...argv.slice(1, -1), '-e', '0'], {
        env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions },
        stdio: 'ignore',
      });
      child.once('close', resolve);
    });
    expect(code).toBe(0);
  });

  it('sets only variables the service or Node reads', () => {
    for (const s of stages) {
      for (const line of s.lines.filter((l) => l.startsWith('ENV '))) {
        const name = line.slice(4).split('=')[0] ?? '';
        expect(knownVars.has(name) || nodeVars.has(name) ? name : `unknown ${name}`).toBe(name);
      }
    }
  });

  it("runs commands that exist: start in the runtime (demo's is checked with the compose file)", async () => {
    const cmd = (s: Stage) =>
      JSON.parse(s.lines.find((l) => l.startsWith('CMD '))?.slice(4) ?? '[]') as string[];
    expect(await commandsOfCli()).toContain(cmd(stage('runtime'))[0]);
    expect(cmd(stage('demo'))).toEqual(compose.services.demo?.command);
  });

  it("exposes the web role's default port", () => {
    expect(exposedPorts(stage('runtime'))).toEqual([exampleConfig.web.port]);
  });

  describe('HEALTHCHECK', () => {
    let server: Server;
    let status = 200;
    const paths: string[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(status).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** The image's check, run here against a loopback server in place of the web role's port. */
    const runCheck = (): Promise<number | null> => {
      const argv = healthcheckCommand(stage('runtime'));
      const { port } = server.address() as AddressInfo;
      const here = argv.map((a) => a.replace(`:${exampleConfig.web.port}/`, `:${port}/`));
      return new Promise((resolve) => {
        const child = spawn(here[0] === 'node' ? process.execPath : (here[0] ?? ''), here.slice(1), {
          stdio: 'ignore',
        });
        child.once('close', resolve);
      });
    };

    it('asks GET /healthz on the web port and passes on 200', async () => {
      expect(healthcheckCommand(stage('runtime')).join(' ')).toContain(
        `http://127.0.0.1:${exampleConfig.web.port}/healthz`,
      );
      status = 200;
      expect(await runCheck()).toBe(0);
      expect(paths.pop()).toBe('/healthz');
    });

    it('fails when /healthz does not answer 200, or nothing listens', async () => {
      status = 503;
      expect(await runCheck()).toBe(1);
      const argv = healthcheckCommand(stage('runtime')).map((a) =>
        a.replace(`:${exampleConfig.web.port}/`, ':1/'),
      );
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, argv.slice(1), { stdio: 'ignore' });
        child.once('close', resolve);
      });
      expect(code).toBe(1);
    });
  });

  describe("the runtime target's files, laid out from this checkout's build", () => {
    const tmp = tempDir();
    let dir = '';
    beforeAll(() => {
      dir = join(tmp.dir, 'runtime');
      layOut(stages, runtime, ROOT, dir);
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    });
    afterAll(() => tmp.cleanup());
    /** The laid-out bin/dtsync.js, as the image's ENTRYPOINT runs it. */
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [join(dir, 'bin/dtsync.js'), ...args], {
          cwd: dir,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('close', (code) =>
          resolve({ code, err: err.trimEnd().split('\n').slice(0, 3).join(' ') }),
        );
      });

    it('hold compiled JavaScript only, and no simulator or bench', () => {
      expect(existsSync(join(dir, 'dist/src/cli/main.js'))).toBe(true);
      expect(existsSync(join(dir, 'dist/sim'))).toBe(false);
      expect(existsSync(join(dir, 'dist/bench'))).toBe(false);
      expect(existsSync(join(dir, 'src'))).toBe(false);
    });

    it('run a role command: dtsync config validate, and worker --help', async () => {
      const env = ['--lang', 'en'];
      expect(await cli([...env, 'worker', '--help'])).toEqual({ code: 0, err: '' });
      const validate = await cli([
        ...env,
        'config',
        'validate',
        '--config',
        join(ROOT, 'dtsync.config.example.yaml'),
      ]);
      expect(validate.err).toContain('DINGTALK_APP_SECRET is not set');
      expect(validate.err).not.toContain('ERR_MODULE_NOT_FOUND');
    });

    // `--help` loads every command: simulate and demo import the simulators only in their action
    it('run dtsync --help without the simulators', async () => {
      expect(await cli(['--lang', 'en', '--help'])).toMatchObject({ code: 0 });
    });

    /**
     * Runs `fn` while the demo's default console port is taken, as another program on the
     * machine may hold it (by this test, or already by someone else).
     */
    async function withDemoPortTaken<T>(fn: () => Promise<T>): Promise<T> {
      const holder = createTcpServer();
      const held = await new Promise<boolean>((resolve) => {
        holder.once('error', () => resolve(false)); // EADDRINUSE: taken already
        holder.listen(DEMO_PORT, '127.0.0.1', () => resolve(true));
      });
      try {
        return await fn();
      } finally {
        if (held) await new Promise<void>((r) => holder.close(() => r()));
      }
    }

    // the one line holds whether or not the console's default port is free
    it.each(LOCALES)(
      'say in one line from the catalog (%s) that simulate and demo need the demo target, even with port 8080 taken',
      async (locale) => {
        const t = translator(locale);
        const line = t('cli.error', { message: t('cli.noSimulators') });
        for (const command of [['simulate'], ['demo', '--once']])
          expect({
            command,
            ...(await withDemoPortTaken(() => cli(['--lang', locale, ...command]))),
          }).toEqual({
            command,
            code: ExitCode.Usage,
            err: line,
          });
      },
    );
  });

  it('lives next to a .dockerignore that keeps secrets, dependencies and output out of the context', () => {
    const ignored = readFileSync(join(dirname(join(ROOT, 'Dockerfile')), '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of [
      '.git',
      'node_modules',
      '*.pem',
      '.env',
      'docs/bench',
      'dist',
      'test-output',
      'coverage',
    ])
      expect(ignored).toContain(entry);
  });
});
