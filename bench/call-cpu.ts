// `npm run bench:call-cpu -- [calls] [concurrency]`: the worker-side CPU cost of one PDS write.
// Runs `calls` createUser calls, unpaced, against a PDS simulator in its own process and prints
// the CPU this process spent per call. At 1,000 PDS QPS a worker needs calls × this in CPU
// seconds, on cores it shares with the simulators and Redis in the benchmark.
import { configSchema } from '../src/config/schema.js';
import { createLogger } from '../src/process/logger.js';
import { mapInLane } from '../src/pacing/lane.js';
import { unpaced } from '../src/pacing/pacer.js';
import { createPdsClient } from '../src/pds/client.js';
import { dtsync } from './procs.js';

interface PdsSimInfo {
  readonly pds: { url: string; domainId: string; clientId: string; privateKeyFile: string };
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 20_000);
  const concurrency = Number(process.argv[3] ?? 64);
  const sim = dtsync(['simulate', '--pds', '--json', '--pds-qps', '1000000'], {}, /^\{"pds"/);
  try {
    const info = (JSON.parse(await sim.ready) as PdsSimInfo).pds;
    const config = configSchema.parse({
      profiles: [
        {
          id: 'cpu',
          dingtalk: { appKey: 'unused', appSecret: 'unused' },
          pds: {
            domainId: info.domainId,
            baseUrl: info.url,
            clientId: info.clientId,
            privateKeyFile: info.privateKeyFile,
          },
        },
      ],
    });
    const profile = config.profiles[0];
    if (profile === undefined) throw new Error('no profile');
    const pds = createPdsClient({
      settings: profile.pds,
      pacer: unpaced,
      log: createLogger({ level: 'warn' }),
    });
    await pds.checkCredentials(); // the token, outside the measurement
    const signal = new AbortController().signal;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // in one lane, each call with a signal of its own, as in a run
    await mapInLane(
      Array.from({ length: calls }, (_, i) => i),
      { concurrency, signal },
      (i, own) =>
        pds.createUser(
          {
            user_id: `cpu_${i}`,
            nick_name: `User ${i}`,
            role: 'user',
            status: 'enabled',
            email: `u${i}@example.com`,
            phone: '13800001111',
            user_data: { source: 'dingtalk', dtsync_profile: 'cpu', dingtalk_userid: String(i) },
          },
          own,
        ),
    );
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const perCall = (cpu.user + cpu.system) / 1000 / calls;
    process.stdout.write(
      `${JSON.stringify({ calls, concurrency, cpuMsPerCall: Math.round(perCall * 1000) / 1000, callsPerSecond: Math.round((calls / wallMs) * 1000) })}\n`,
    );
  } finally {
    await sim.proc.stop();
  }
}

await main();
