import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PdsSimulatorInfo, RunningSimulator, SimulateOptions } from '../cli-types.js';
import { generateKeyPairPem } from './auth.js';
import { startPdsSimulator } from './server.js';

/** clientId of the simulated JWT application. */
export const SIM_CLIENT_ID = 'dtsync-sim-app';

/**
 * `dtsync simulate --pds`: writes a fresh RSA key pair (PKCS#8 PEM private key, mode 0600) to
 * `--key-dir` (default a temp dir, removed again on close) and starts the simulator with the
 * public half registered. `--pds-qps` switches the domain's QPS limit on.
 */
export async function startPdsSimulatorForCli(
  opts: SimulateOptions,
): Promise<RunningSimulator<PdsSimulatorInfo>> {
  const ownDir = opts.keyDir === undefined;
  const dir = opts.keyDir ?? (await mkdtemp(join(tmpdir(), 'dtsync-pds-sim-')));
  if (!ownDir) await mkdir(dir, { recursive: true });
  const { privateKeyPem, publicKeyPem } = generateKeyPairPem();
  const privateKeyFile = join(dir, 'pds-sim-private.pem');
  await writeFile(privateKeyFile, privateKeyPem, { mode: 0o600 });
  // writeFile's mode does not apply to an existing file: make sure an old one is tightened too.
  await chmod(privateKeyFile, 0o600);
  await writeFile(join(dir, 'pds-sim-public.pem'), publicKeyPem);

  const sim = await startPdsSimulator({
    port: opts.pdsPort,
    domainId: opts.domainId,
    clientId: SIM_CLIENT_ID,
    publicKey: publicKeyPem,
    qps: opts.pdsQps,
  });
  return {
    info: { url: sim.url, domainId: sim.domainId, clientId: sim.clientId, privateKeyFile },
    close: async () => {
      await sim.close();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
