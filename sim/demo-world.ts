/**
 * What `dtsync demo` starts from the test tools: a private Redis, both simulators and a robot.
 * The runtime reaches it only through src/cli/load-simulators.ts, which loads it when the demo
 * runs (the runtime image holds no sim/).
 */
export { startPrivateRedis, type PrivateRedis } from './redis/private-redis.js';
export { startDingTalkSimulator, type DingTalkSimulator } from './dingtalk/server.js';
export type { DingTalkSimControl } from './dingtalk/control.js';
export type { OrgChange } from './dingtalk/org-mutations.js';
export { generateKeyPairPem, startPdsSimulator, type PdsSimulator } from './pds/index.js';
export { startRobotFake, type RobotMessage } from './robot/server.js';
