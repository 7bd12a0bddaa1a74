import type { PdsSimulatorInfo, RunningSimulator, SimulateOptions } from '../cli-types.js';

// TEMPORARY: replaced by the PDS simulator implementation.
export function startPdsSimulatorForCli(_opts: SimulateOptions): Promise<RunningSimulator<PdsSimulatorInfo>> {
  return Promise.reject(new Error('the PDS simulator is not built yet'));
}
