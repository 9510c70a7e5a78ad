import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { PowerShellPool } from '../activities/bridge/pool';
import { generateEstate } from '../lab/estate/generate';
import type { LabEstate } from '../lab/estate/schema';
import { SEARCH_ATTRIBUTES } from '../model/search-attributes';
import { loadCodecKeys } from '../worker/codec-key';
import { createDataConverter } from '../worker/data-converter';
import { startDevServer, type DevServer } from '../worker/dev-server';
import { installTemporalRuntimeLogging } from '../worker/log';
import { createPowerShellPool } from '../worker/powershell-pool';
import { ensureTemporalCli } from '../worker/temporal-cli';

export const DCS_PER_DOMAIN = 4;
export const LATENCY_MS = 50;
const REPLICATION_DELAY_SECONDS = 2;
export const POOL_SIZE = '8';
export const NAMESPACE = 'default';

const CLOUD_ADMIN = { userName: 'hybrid-admin@contoso.com', password: 'lab-Generated-Adm1n' };
const DOMAIN_ADMIN = { userName: 'ad-admin@contoso.com', password: 'lab-Generated-AD-Adm1n' };

/** What a benchmark runs against: an embedded dev server, a warm pool of PowerShell 7 processes over the lab estate, clients. */
export interface BenchLab {
  env: NodeJS.ProcessEnv;
  server: DevServer;
  pool: PowerShellPool;
  connection: NativeConnection;
  client: Client;
  dataConverter: DataConverter;
  /** Warnings and errors the dev server logged, counted by message. */
  serverWarnings: Record<string, number>;
}

export const note = (line: string) => process.stderr.write(`${line}\n`);

export function benchEstate(domains: number): LabEstate {
  const estate = generateEstate({ domains, dcsPerDomain: DCS_PER_DOMAIN, latencyMs: LATENCY_MS });
  for (const forest of estate.forests) {
    for (const domain of forest.domains) domain.kerberosServer.replicationDelaySeconds = REPLICATION_DELAY_SECONDS;
  }
  return estate;
}

/** Sets the lab up (free ports, a temporary data directory), runs `use`, and tears everything down again. */
export async function withBenchLab<T>(label: string, estate: LabEstate, use: (lab: BenchLab) => Promise<T>): Promise<T> {
  process.env.CLOUDTRUST_LOG_LEVEL ??= 'warn';
  installTemporalRuntimeLogging();
  const dir = await mkdtemp(path.join(os.tmpdir(), `cloudtrust-bench-${label}-`));
  const estateFile = path.join(dir, 'lab', 'estate.json');
  const secretsFile = path.join(dir, 'secrets.json');
  await mkdir(path.dirname(estateFile), { recursive: true });
  await writeFile(estateFile, `${JSON.stringify(estate)}\n`);
  await writeFile(secretsFile, JSON.stringify({ 'kerberos-admin': CLOUD_ADMIN, 'ad-admin': DOMAIN_ADMIN }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDTRUST_POWERSHELL: 'lab',
    CLOUDTRUST_DATA_DIR: dir,
    CLOUDTRUST_LAB_ESTATE: estateFile,
    CLOUDTRUST_SECRETS_FILE: secretsFile,
    CLOUDTRUST_POOL_SIZE: process.env.CLOUDTRUST_POOL_SIZE ?? POOL_SIZE,
  };
  const warnings = serverWarningCounter(label);
  const server = await startDevServer({
    log: warnings.log,
    cliPath: await ensureTemporalCli(),
    dataDir: path.join(dir, 'temporal'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: NAMESPACE,
    searchAttributes: { ...SEARCH_ATTRIBUTES },
  });
  const pool = createPowerShellPool(env);
  try {
    await pool.warm();
    const dataConverter = createDataConverter(await loadCodecKeys({ env, dataDir: dir, createIfMissing: true }));
    const connection = await NativeConnection.connect({ address: server.address });
    const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: NAMESPACE, dataConverter });
    try {
      return await use({ env, server, pool, connection, client, dataConverter, serverWarnings: warnings.counts });
    } finally {
      await client.connection.close();
      await connection.close();
    }
  } finally {
    await pool.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Counts the dev server's warnings by message and shows the first of each kind (some repeat once per event). */
function serverWarningCounter(label: string) {
  const counts: Record<string, number> = {};
  const log = (entry: object) => {
    const fields = entry as Record<string, unknown>;
    if (fields.duringShutdown || (fields.level !== 'warn' && fields.level !== 'error')) return;
    const message = String(fields.msg ?? fields.line ?? '');
    counts[message] = (counts[message] ?? 0) + 1;
    if (counts[message] === 1) note(`  [${label}] dev server ${fields.level}: ${message} ${JSON.stringify({ wf: fields['wf-id'], events: fields['wf-event-count'], size: fields['wf-size'], op: fields['blob-size-violation-operation'] })}`);
  };
  return { counts, log };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
