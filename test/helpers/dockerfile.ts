import { cpSync, rmSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * A Dockerfile read with simple line rules, enough for the consistency tests: stages
 * (`FROM image AS name`), their instructions with continuations joined, and the COPY lines.
 * Not a full parser: JSON-form CMD/ENTRYPOINT/HEALTHCHECK, no ARG in FROM or paths.
 */
export interface Stage {
  readonly name: string;
  /** An image, or the name of an earlier stage. */
  readonly from: string;
  /** The stage's instructions after FROM, one per entry, continuations joined. */
  readonly lines: string[];
}

export interface Copy {
  /** The stage copied from; undefined for the build context. */
  readonly from: string | undefined;
  readonly sources: string[];
  readonly dest: string;
}

function instructions(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push(`${pending}${line}`.trim());
    pending = '';
  }
  return out;
}

export function dockerfileStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of instructions(text)) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from !== null) {
      stages.push({ from: from[1] ?? '', name: from[2] ?? `#${stages.length}`, lines: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current === undefined) throw new Error(`instruction before FROM: ${line}`);
    current.lines.push(line);
  }
  return stages;
}

export function copiesOf(stage: Stage): Copy[] {
  return stage.lines
    .filter((l) => l.startsWith('COPY '))
    .map((l) => {
      const words = l.split(/\s+/).slice(1);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
    });
}

/** The stage and the stages it is built on, oldest first. */
export function runtimeChain(stages: readonly Stage[], name: string): Stage[] {
  const stage = stages.find((s) => s.name === name);
  if (stage === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
  return [...(stages.some((s) => s.name === stage.from) ? runtimeChain(stages, stage.from) : []), stage];
}

function workdirOf(chain: readonly Stage[]): string {
  const line = chain.flatMap((s) => s.lines.filter((l) => l.startsWith('WORKDIR '))).pop();
  return line?.slice('WORKDIR '.length).trim() ?? '/';
}

/** Whether a `RUN rm -rf …` of the chain removes the absolute path. */
function removes(chain: readonly Stage[], path: string): boolean {
  const relative = posix.relative(workdirOf(chain), path);
  return chain.some((s) =>
    s.lines.some((l) => {
      const rm = /^RUN .*\brm -rf ([^&;|]+)/.exec(l);
      const targets = rm?.[1]?.trim().split(/\s+/) ?? [];
      return targets.includes(relative) || targets.includes(path);
    }),
  );
}

/**
 * Whether the chain's image holds `path` of another stage: a COPY from a stage takes it, or a
 * folder around it, that the source stage did not `rm -rf`.
 */
export function shipsPath(stages: readonly Stage[], chain: readonly Stage[], path: string): boolean {
  return chain.some((s) =>
    copiesOf(s).some((c) => {
      if (c.from === undefined) return false;
      const source = runtimeChain(stages, c.from);
      return c.sources.some((src) => {
        if (src === path || src.startsWith(`${path}/`)) return true;
        return path.startsWith(`${src}/`) && !removes(source, path);
      });
    }),
  );
}

export function exposedPorts(stage: Stage): number[] {
  return stage.lines
    .filter((l) => l.startsWith('EXPOSE '))
    .flatMap((l) => l.slice('EXPOSE '.length).trim().split(/\s+/))
    .map((p) => Number(p.split('/')[0]));
}

/** The HEALTHCHECK's command, in its JSON form. */
export function healthcheckCommand(stage: Stage): string[] {
  const line = stage.lines.find((l) => l.startsWith('HEALTHCHECK '));
  const json = line?.slice(line.indexOf(' CMD ') + ' CMD '.length);
  if (json === undefined) throw new Error(`stage ${stage.name} has no HEALTHCHECK`);
  return JSON.parse(json) as string[];
}

/** The absolute paths the chain's `RUN rm -rf …` lines remove. */
export function removedPaths(chain: readonly Stage[]): string[] {
  const workdir = workdirOf(chain);
  return chain.flatMap((s) =>
    s.lines.flatMap((l) => {
      const rm = /^RUN .*\brm -rf ([^&;|]+)/.exec(l);
      return (rm?.[1]?.trim().split(/\s+/) ?? []).map((t) => posix.resolve(workdir, t));
    }),
  );
}

/**
 * Lays the chain's image files out under `dir` from this checkout: the build context for
 * context COPYs, the local build for a stage's /app (its WORKDIR), minus what that stage removes.
 */
export function layOut(stages: readonly Stage[], chain: readonly Stage[], root: string, dir: string): void {
  const workdir = workdirOf(chain);
  for (const copy of chain.flatMap((s) => copiesOf(s))) {
    const source = copy.from === undefined ? undefined : runtimeChain(stages, copy.from);
    const dest = posix.join(dir, posix.relative(workdir, posix.resolve(workdir, copy.dest)));
    for (const src of copy.sources) {
      const from =
        source === undefined
          ? posix.join(root, src)
          : posix.join(root, posix.relative(workdirOf(source), src));
      const to = copy.dest.endsWith('/') ? posix.join(dest, posix.basename(src)) : dest;
      cpSync(from, to, { recursive: true });
      for (const gone of source === undefined ? [] : removedPaths(source))
        if (gone.startsWith(`${src}/`))
          rmSync(posix.join(to, posix.relative(src, gone)), { recursive: true, force: true });
    }
  }
}
