// `node --import tsx bench/tenants/sim-host.ts --dingtalk|--pds …`: the tenants bench's
// simulators, one process each (as `dtsync simulate` is for one profile). Prints one JSON line
// when ready (`{"dingtalk": …}` or `{"pds": …}`) and serves until SIGTERM or SIGINT.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { startDingTalkSimulatorHost } from '../../sim/dingtalk/host.js';
import { generateKeyPairPem, SIM_CLIENT_ID, startPdsSimulatorHost } from '../../sim/pds/index.js';
import { groupCompanyOrg } from './group-org.js';
import { appKeyOf, domainIdOf, type TenantApp, type TenantDomain } from './layout.js';

const num = (v: string) => Number(v);

async function main(): Promise<void> {
  const o = new Command('sim-host')
    .option('--dingtalk')
    .option('--pds')
    .option('--apps <n>', 'DingTalk apps (group companies)', num, 1)
    .option('--subsidiaries <n>', 'subsidiaries per app', num, 10)
    .option('--users <n>', 'people per subsidiary', num, 100)
    .option('--departments <n>', 'departments per subsidiary', num, 5)
    .option('--seed <n>', 'seed of the orgs', num, 1)
    .option('--qps <n>', 'DingTalk QPS per app and API', num)
    .option('--domains <n>', 'PDS domains', num, 1)
    .option('--pds-qps <n>', 'PDS QPS per domain', num)
    .option('--key-dir <dir>', 'where the shared JWT key pair is written')
    .parse()
    .opts<{
      dingtalk?: boolean;
      pds?: boolean;
      apps: number;
      subsidiaries: number;
      users: number;
      departments: number;
      seed: number;
      qps?: number;
      domains: number;
      pdsQps?: number;
      keyDir?: string;
    }>();
  let close: () => Promise<void>;
  if (o.dingtalk === true) {
    const groups = Array.from({ length: o.apps }, (_, i) =>
      groupCompanyOrg(o.seed * 1000 + i + 1, o.subsidiaries, o.users, o.departments),
    );
    const host = await startDingTalkSimulatorHost({
      apps: groups.map((g, i) => ({
        appKey: appKeyOf(i + 1),
        org: g.org,
        seed: o.seed * 1000 + i + 1,
        qps: o.qps,
      })),
    });
    const apps: TenantApp[] = host.apps.map((a, i) => ({
      appKey: a.appKey,
      appSecret: a.appSecret,
      url: a.url,
      subsidiaries: groups[i]?.subsidiaries ?? [],
    }));
    process.stdout.write(`${JSON.stringify({ dingtalk: { url: host.url, apps } })}\n`);
    close = () => host.close();
  } else if (o.pds === true && o.keyDir !== undefined) {
    // one JWT application key for every domain: generating a thousand RSA keys would take minutes
    const { privateKeyPem, publicKeyPem } = generateKeyPairPem();
    await mkdir(o.keyDir, { recursive: true });
    const privateKeyFile = join(o.keyDir, 'pds-sim-private.pem');
    await writeFile(privateKeyFile, privateKeyPem, { mode: 0o600 });
    await chmod(privateKeyFile, 0o600);
    const host = await startPdsSimulatorHost({
      domains: Array.from({ length: o.domains }, (_, i) => ({
        domainId: domainIdOf(i + 1),
        clientId: SIM_CLIENT_ID,
        publicKey: publicKeyPem,
        qps: o.pdsQps,
      })),
    });
    const domains: TenantDomain[] = host.domains.map((d) => ({
      domainId: d.domainId,
      url: d.url,
      clientId: d.clientId,
    }));
    process.stdout.write(`${JSON.stringify({ pds: { url: host.url, domains, privateKeyFile } })}\n`);
    close = () => host.close();
  } else throw new Error('give --dingtalk, or --pds with --key-dir');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await close();
}

await main();
