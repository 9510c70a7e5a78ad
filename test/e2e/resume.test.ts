import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startRollout } from '../../client/rollouts';
import type { RolloutSpec } from '../../model/spec';
import { startDevServer, type DevServer } from '../../worker/dev-server';
import { createDataConverter } from '../../worker/data-converter';
import { labEstateFile } from '../steps/lab-estate';
import { freePort } from '../support/free-port';
import { readLabDefaultSpec } from '../support/lab-spec';
import { waitFor } from '../support/wait';

/**
 * Crash-proof resume, end to end: a real dev server with its SQLite file, the real worker entry point as a separate
 * process, the lab estate on disk. The worker is SIGKILLed (or the server restarted) mid-rollout; a new one finishes
 * it, and the lab's mutation counts prove every change was applied exactly once.
 */
const root = path.join(__dirname, '..', '..');
const key = randomBytes(32);


function spec(): RolloutSpec {
  const parsed = readLabDefaultSpec();
  parsed.name = `resume-${randomBytes(3).toString('hex')}`;
  parsed.rings = [{ ...parsed.rings[0], domains: ['corp.contoso.com'] }, { ...parsed.rings[1], approval: undefined }];
  parsed.options.replicationPollInterval = '1s';
  return parsed;
}

function startWorker(address: string, taskQueue: string, estateFile: string, dataDir: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'worker', 'main.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      CLOUDTRUST_TASK_QUEUE: taskQueue,
      CLOUDTRUST_LAB_ESTATE: estateFile,
      CLOUDTRUST_DATA_DIR: dataDir,
      CLOUDTRUST_SECRETS_FILE: path.join(root, 'lab', 'estates', 'default.secrets.json'),
      CLOUDTRUST_CODEC_KEY: key.toString('base64'),
      CLOUDTRUST_LOG_LEVEL: 'warn',
      CLOUDTRUST_POOL_SIZE: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', () => undefined);
  return child;
}

describe('resume after crashes (real server, worker process, lab estate)', () => {
  let server: DevServer;
  let dataDir: string;
  let port: number;
  let uiPort: number;
  let client: Client;
  const workers: ChildProcess[] = [];

  const startServer = () =>
    startDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH!, dataDir, port, uiPort, searchAttributes: { CloudtrustKind: 'Keyword', CloudtrustDomain: 'Keyword', CloudtrustSpec: 'Keyword', CloudtrustTenant: 'Keyword', CloudtrustState: 'Keyword' } });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-resume-'));
    [port, uiPort] = [await freePort(), await freePort()];
    server = await startServer();
    client = new Client({ connection: await Connection.connect({ address: server.address }), dataConverter: createDataConverter({ current: key, previous: [] }) });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await client?.connection.close();
    await server?.stop();
  });

  function estateWithLatency() {
    return labEstateFile('default', (estate) => {
      estate.latencyMs = 250;
      for (const domain of estate.forests.flatMap((f) => f.domains)) domain.kerberosServer.replicationDelaySeconds = 1;
    });
  }

  test('SIGKILL of the worker mid-rollout: a new worker completes it, every mutation exactly once', async () => {
    const lab = estateWithLatency();
    const taskQueue = `resume-${randomBytes(4).toString('hex')}`;
    const first = startWorker(server.address, taskQueue, lab.file, dataDir);
    workers.push(first);
    const started = await startRollout(client, spec(), 'apply', taskQueue);
    await waitFor(async () => ((await lab.store.read()).mutations['kerberos:corp.contoso.com'] ?? 0) > 0, { timeoutMs: 60_000, intervalMs: 100, what: 'the Kerberos object to be created' });
    first.kill('SIGKILL');
    const atKill = { ...(await lab.store.read()).mutations };

    workers.push(startWorker(server.address, taskQueue, lab.file, dataDir));
    const report = await started.report();
    expect(report.state).toBe('completed');
    expect(report.domains.find((d) => d.domain === 'corp.contoso.com')!.status).toBe('succeeded');
    const mutations = (await lab.store.read()).mutations;
    expect(Object.keys(mutations).length).toBeGreaterThan(Object.keys(atKill).length);
    expect(Object.entries(mutations).filter(([, count]) => count !== 1)).toEqual([]);
  }, 150_000);

  test('restart of the Temporal server (SQLite persistence) mid-rollout: the rollout completes, exactly once', async () => {
    const lab = estateWithLatency();
    const taskQueue = `restart-${randomBytes(4).toString('hex')}`;
    workers.push(startWorker(server.address, taskQueue, lab.file, dataDir));
    const started = await startRollout(client, spec(), 'apply', taskQueue);
    await waitFor(async () => ((await lab.store.read()).mutations['kerberos:corp.contoso.com'] ?? 0) > 0, { timeoutMs: 60_000, intervalMs: 100, what: 'the Kerberos object to be created' });
    await server.stop();
    server = await startServer();
    await client.connection.close();
    client = new Client({ connection: await Connection.connect({ address: server.address }), dataConverter: createDataConverter({ current: key, previous: [] }) });

    const report = await client.workflow.getHandle<typeof import('../../workflows').rollout>(started.workflowId).result();
    expect(report.state).toBe('completed');
    expect(report.domains.find((d) => d.domain === 'corp.contoso.com')!.status).toBe('succeeded');
    expect(Object.entries((await lab.store.read()).mutations).filter(([, count]) => count !== 1)).toEqual([]);
  }, 150_000);
});
