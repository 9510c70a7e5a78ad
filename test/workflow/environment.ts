import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../../model/search-attributes';
import type { Keyring } from '../../worker/codec';
import { createDataConverter } from '../../worker/data-converter';
import { startDevServer } from '../../worker/dev-server';
import { freePort } from '../support/free-port';

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  keyring: Keyring;
  dataConverter: DataConverter;
  /** Closes the environment's connections, then stops the server and removes its data. */
  stop(): Promise<void>;
}

/**
 * A real Temporal dev server (the CLI from global setup, started by the product's own startDevServer, which waits up
 * to a minute for it; the SDK's ephemeral server gives up after a fixed 5 s, too short on a loaded machine), the
 * project's data converter with a fresh key, workflows bundled once.
 */
export async function startWorkflowTestContext(): Promise<WorkflowTestContext> {
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!cliPath) throw new Error('TEMPORAL_CLI_PATH is not set: jest globalSetup (test/global-setup.ts) provides it');
  const keyring: Keyring = { current: randomBytes(32), previous: [] };
  const dataConverter = createDataConverter(keyring);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cloudtrust-temporal-'));
  const server = await startDevServer({
    cliPath,
    dataDir,
    port: await freePort(),
    uiPort: await freePort(),
    searchAttributes: SEARCH_ATTRIBUTES,
    log: () => undefined,
  });
  const removeServer = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address, namespace: server.namespace, client: { dataConverter } });
  } catch (error) {
    await removeServer();
    throw error;
  }
  const stop = async () => {
    try {
      await env.teardown();
    } finally {
      await removeServer();
    }
  };
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietBundlerLogger });
    return { env, bundle, keyring, dataConverter, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`bundler: ${message}\n`),
};
