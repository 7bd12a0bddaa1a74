import { performance } from 'node:perf_hooks';
import { buildTargetSnapshot } from '../pds-snapshot/build.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { PlanOptions } from '../plan/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import { LinkPrefetch } from './link-prefetch.js';
import type { ProgressTracker } from './progress.js';
import type { EngineDeps, RunRequest } from './types.js';

export interface BothSides {
  readonly source: SourceSnapshot;
  /** With the links read during the walk. */
  readonly target: TargetSnapshot;
  readonly ms: number;
}

/**
 * Reads DingTalk and PDS at the same time (they are limited separately); if either fails the
 * other is cancelled and the run fails before any write. The links of users the run will surely
 * change are read during the walk (LinkPrefetch).
 */
export async function readBothSides(
  req: RunRequest,
  deps: EngineDeps,
  o: PlanOptions,
  progress: ProgressTracker,
): Promise<BothSides> {
  const start = performance.now();
  const both = new AbortController();
  const signal = deps.signal === undefined ? both.signal : AbortSignal.any([deps.signal, both.signal]);
  const cancelOnError = <T>(p: Promise<T>) =>
    p.catch((err: unknown) => {
      both.abort(err);
      throw err;
    });
  const prefetch = new LinkPrefetch(deps.pds, o, signal);
  let targetRead = false;
  const [source, target] = await Promise.all([
    cancelOnError(
      deps
        .readSource(signal, prefetch.onUser, (p) => progress.dingtalk(p))
        .then((s) => {
          if (!targetRead) progress.phase('target'); // DingTalk is read; PDS is still being read
          return s;
        }),
    ),
    cancelOnError(
      buildTargetSnapshot(deps.pds, req.profile.id, { signal, onUsers: (n) => progress.pdsUsers(n) }).then(
        (t) => {
          targetRead = true;
          prefetch.targetReady(t);
          return t;
        },
      ),
    ),
  ]);
  return { source, target: { ...target, links: await prefetch.links() }, ms: performance.now() - start };
}
