/** The PDS simulator: in-process API for tests and the benchmark. */
export { startPdsSimulator } from './server.js';
export { generateKeyPairPem } from './auth.js';
export { startPdsSimulatorForCli, SIM_CLIENT_ID } from './cli.js';
export type * from './types.js';
export { startPdsSimulatorHost } from './host.js';
export type { HostedPdsDomain, PdsSimulatorHost, PdsSimulatorHostOptions } from './host.js';
