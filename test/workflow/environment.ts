import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../../model/search-attributes';
import type { Keyring } from '../../worker/codec';
import { createDataConverter } from '../../worker/data-converter';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  keyring: Keyring;
  dataConverter: DataConverter;
}

const TYPES = { Keyword: SearchAttributeType.KEYWORD } as const;

/** A real Temporal dev server (the CLI from global setup), the project's data converter with a fresh key, workflows bundled once. */
export async function startWorkflowTestContext(): Promise<WorkflowTestContext> {
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH is not set: jest globalSetup (test/global-setup.ts) provides it');
  const keyring: Keyring = { current: randomBytes(32), previous: [] };
  const dataConverter = createDataConverter(keyring);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => defineSearchAttributeKey(name, TYPES[type])),
    },
    client: { dataConverter },
  });
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietBundlerLogger });
  return { env, bundle, keyring, dataConverter };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`bundler: ${message}\n`),
};
