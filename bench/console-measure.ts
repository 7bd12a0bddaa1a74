import { performance } from 'node:perf_hooks';
import type { ListRow } from '../src/report/list-rows.js';
import { seedEntry, type SeedOrg } from '../test/helpers/run-seed.js';
import type { SeededProfile } from './console-seed.js';

export interface Answer {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly bytes: number;
}

/** Requests before the timed ones (the JIT, Redis's first reads). */
const WARM_UP = 3;
const PAGE = 50;
const PAGE_SIZE = 50;

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Times `samples` GETs of one path, one after another; the answer of the last is checked. */
async function timed(
  url: string,
  path: string,
  samples: number,
): Promise<{ answer: Answer; body: string; status: number }> {
  const times: number[] = [];
  let body = '';
  let status = 0;
  for (let i = 0; i < WARM_UP + samples; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`);
    body = await res.text();
    status = res.status;
    if (i >= WARM_UP) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const answer = {
    p50Ms: round(quantile(times, 0.5)),
    p95Ms: round(quantile(times, 0.95)),
    bytes: Buffer.byteLength(body),
  };
  return { answer, body, status };
}

/**
 * Each answer the console gives at this size, timed, and what makes it wrong: an error status,
 * a hold not counted, page 50 not holding the entries the seed put there.
 */
export async function measure(
  url: string,
  org: SeedOrg,
  s: SeededProfile,
  samples: number,
): Promise<{ answers: Record<string, Answer>; wrong: string[] }> {
  const wrong: string[] = [];
  const answers: Record<string, Answer> = {};
  const total = org.users.length;
  const checks: [string, string, (body: string) => string | undefined][] = [
    [
      'statusApi',
      '/api/profiles/bench/status',
      (b) =>
        (JSON.parse(b) as { held: { held?: { total: number } }[] }).held[0]?.held?.total === total
          ? undefined
          : 'the hold is not counted',
    ],
    ['statusPage', '/', (b) => (b.includes(`共 ${total} 项`) ? undefined : 'the hold is not counted')],
    [
      'runsPage',
      '/profiles/bench/runs',
      (b) => (b.includes('small-98') ? undefined : 'the newest small run is not listed'),
    ],
    [
      'runPage',
      `/runs/${s.initialRunId}`,
      (b) => (b.includes('rel="next"') ? undefined : 'the change log does not page'),
    ],
    [
      'heldRunPage',
      `/runs/${s.heldRunId}`,
      (b) => (b.includes(`/api/runs/${s.heldRunId}/held?`) ? undefined : 'no held list'),
    ],
    [
      'changeLogPage50',
      `/api/runs/${s.initialRunId}/changes?page=${PAGE}&pageSize=${PAGE_SIZE}`,
      (b) => {
        // the initial run's changes, failures left out, from the seed alone
        const want: string[] = [];
        for (let i = 0; want.length < PAGE * PAGE_SIZE; i++) {
          if (i % 500 === 499) continue;
          const c = seedEntry(org, i);
          want.push(`${c.action.type}:${c.dingtalkUserId ?? ''}`);
        }
        const got = (JSON.parse(b) as { items: ListRow[] }).items.map(
          (r) => `${r.action}:${r.dingtalkUserId}`,
        );
        return JSON.stringify(got) === JSON.stringify(want.slice(-PAGE_SIZE))
          ? undefined
          : 'page 50 holds other entries';
      },
    ],
  ];
  for (const [name, path, check] of checks) {
    const { answer, body, status } = await timed(url, path, samples);
    answers[name] = answer;
    const why = status === 200 ? check(body) : `HTTP ${status}`;
    if (why !== undefined) wrong.push(`${name} (${path}): ${why}`);
  }
  return { answers, wrong };
}
