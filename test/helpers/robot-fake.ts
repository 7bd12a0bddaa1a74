// The robot fake is also the demo's, so it lives with the other simulators.
export { startRobotFake, type RobotFake, type RobotMessage } from '../../sim/robot/server.js';
