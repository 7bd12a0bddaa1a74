import type { DingTalkSimulatorInfo, RunningSimulator, SimulateOptions } from '../cli-types.js';

// TEMPORARY: replaced by the DingTalk simulator implementation.
export function startDingTalkSimulatorForCli(_opts: SimulateOptions): Promise<RunningSimulator<DingTalkSimulatorInfo>> {
  return Promise.reject(new Error('the DingTalk simulator is not built yet'));
}
