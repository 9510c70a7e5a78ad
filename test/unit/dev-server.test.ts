import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../worker/dev-server';
import { freePort } from '../support/free-port';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const cliPath = process.env.TEMPORAL_CLI_PATH as string;


function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(server: DevServer, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: server.address });
  try {
    return await use(new Client({ connection, namespace: server.namespace }));
  } finally {
    await connection.close();
  }
}

describe('startDevServer', () => {
  let dataDir: string;
  let server: DevServer | undefined;
  const serverLog: object[] = [];

  beforeAll(async () => {
    dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'cloudtrust-dev-')), 'data');
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  async function start(): Promise<DevServer> {
    const [port, uiPort] = [await freePort(), await freePort()];
    server = await startDevServer({
      cliPath,
      dataDir,
      port,
      uiPort,
      namespace: 'cloudtrust-test',
      searchAttributes: { RolloutTarget: 'Keyword' },
      log: (entry) => serverLog.push(entry),
    });
    return server;
  }

  it('keeps workflows in dataDir across a stop and a restart', async () => {
    const workflowId = 'persistence-check';
    const first = await start();
    expect(first.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(first.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await stat(path.join(dataDir, 'temporal.sqlite'));

    await withClient(first, async (client) => {
      const before = [];
      for await (const workflow of client.workflow.list()) before.push(workflow);
      expect(before).toEqual([]);
      // No worker polls this queue: the workflow only has to be recorded, then it is terminated.
      const handle = await client.workflow.start('neverRuns', { taskQueue: 'nobody-polls', workflowId });
      await handle.terminate('persistence check');
    });
    await first.stop();
    expect(isRunning(first.pid)).toBe(false);

    const second = await start();
    expect(second.pid).not.toBe(first.pid);
    await withClient(second, async (client) => {
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('TERMINATED');
      expect(description.type).toBe('neverRuns');
      await expect(client.workflow.getHandle('never-started').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  });

  it('registers the requested search attributes', async () => {
    const running = await start();
    await withClient(running, async (client) => {
      const response = await client.connection.operatorService.listSearchAttributes({ namespace: running.namespace });
      expect(Object.keys(response.customAttributes)).toContain('RolloutTarget');
    });
  });

  it('fails clearly when the port is taken, naming the variable that changes it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(startDevServer({ cliPath, dataDir, port, uiPort: await freePort() })).rejects.toThrow(
        new RegExp(`Port ${port} on 127.0.0.1 is already in use.*CLOUDTRUST_DEV_PORT`),
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(startDevServer({ cliPath, dataDir, ip: '0.0.0.0' })).rejects.toThrow(/only listens on loopback/);
  });

  (process.platform === 'win32' ? it.skip : it)('reports the last output of a server that dies while starting', async () => {
    const brokenCli = path.join(path.dirname(dataDir), 'broken-temporal');
    await writeFile(brokenCli, '#!/bin/sh\necho "starting up"\necho "fatal: database is locked" >&2\nexit 4\n');
    await chmod(brokenCli, 0o755);
    const entries: object[] = [];

    const error = await failureOf(startDevServer({
      cliPath: brokenCli,
      dataDir,
      port: await freePort(),
      uiPort: await freePort(),
      log: (entry) => entries.push(entry),
    }));
    expect(error.message).toMatch(/Temporal dev server exited with code 4 before it was ready/);
    expect(error.message).toContain('fatal: database is locked');
    expect(entries).toContainEqual({ source: 'temporal-dev-server', stream: 'stderr', line: 'fatal: database is locked' });
  });
});
