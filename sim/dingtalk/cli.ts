import type { DingTalkSimulatorInfo, RunningSimulator, SimulateOptions } from '../cli-types.js';
import { startDingTalkSimulator } from './server.js';

/** `dtsync simulate --dingtalk`: a generated org; `--qps` sets the per-API QPS limit. */
export async function startDingTalkSimulatorForCli(
  opts: SimulateOptions,
): Promise<RunningSimulator<DingTalkSimulatorInfo>> {
  const sim = await startDingTalkSimulator({
    port: opts.dingtalkPort,
    orgSpec: { seed: opts.seed, users: opts.users, departments: opts.departments, depth: opts.depth },
    qps: opts.dingtalkQps,
  });
  return { info: { url: sim.url, appKey: sim.appKey, appSecret: sim.appSecret }, close: () => sim.close() };
}
