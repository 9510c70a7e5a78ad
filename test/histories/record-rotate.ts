// Records golden histories of the rotate-keys runbook for the replay test: `npm run build && node dist/test/histories/record-rotate.js [label]`.
// A rollout first puts corp's Kerberos object in place; then one plan and one forced apply rotation of corp, and
// (from v2 on, which has it) a forced double rotation with a 2 s ticket lifetime.
// Payloads are recorded unencrypted (no codec) so replay needs no key.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../../activities/bridge/paths';
import { secretStoreFromEnv } from '../../activities/secrets';
import { domainKey, kindKey, specKey, stateKey, tenantKey } from '../../model/search-attributes';
import { parseSpec } from '../../model/spec-file';
import { createCloudtrustWorker } from '../../worker/create-worker';
import { createDataConverter } from '../../worker/data-converter';
import { ensureTemporalCli } from '../../worker/temporal-cli';
import { rollout } from '../../workflows';
import { rotateKeys } from '../../workflows/runbooks';
import { labEstateFile } from '../steps/lab-estate';
import { labPool } from '../transport/pool-fixture';

const root = projectRoot();
const label = process.argv[2] ?? 'v1';

async function main(): Promise<void> {
  const cli = await ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: cli }, searchAttributes: [kindKey, domainKey, specKey, tenantKey, stateKey] }, client: { dataConverter: createDataConverter() } });
  const lab = labEstateFile('default', (estate) => {
    for (const domain of estate.forests.flatMap((f) => f.domains)) domain.kerberosServer.replicationDelaySeconds = 1;
  });
  const pool = labPool(2, lab.env);
  const taskQueue = `record-${randomUUID()}`;
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows') });
  const worker = await createCloudtrustWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    pool,
    secrets: secretStoreFromEnv({ CLOUDTRUST_SECRETS_FILE: path.join(root, 'lab', 'estates', 'default.secrets.json') }),
    dataConverter: createDataConverter(),
    workflowBundle: bundle,
  });
  const index: Record<string, string> = {};
  const parsed = parseSpec(readFileSync(path.join(root, 'specs', 'lab-default.yaml'), 'utf8'));
  const spec = { ...parsed, rings: parsed.rings.map(({ approval: _approval, ...ring }) => ring) };
  spec.options.replicationPollInterval = '1s';
  await worker.runUntil(async () => {
    await env.client.workflow.execute(rollout, { taskQueue, workflowId: `record-rollout/${randomUUID()}`, args: [{ spec, mode: 'apply', specDigest: 'record' }] });
    const runs: Array<[string, 'plan' | 'apply', boolean]> = [['plan', 'plan', false], ['apply', 'apply', false], ...(label === 'v1' ? [] : [['double', 'apply', true] as [string, 'plan' | 'apply', boolean]])];
    for (const [name, mode, double] of runs) {
      const workflowId = `record-rotate-${name}`;
      const runSpec = double ? { ...spec, options: { ...spec.options, keyRotation: { maxTicketLifetime: '2s', maxKeyAge: '180d' } } } : spec;
      await env.client.workflow.execute(rotateKeys, { taskQueue, workflowId, args: [{ spec: runSpec, mode, requestedAt: new Date().toISOString(), force: true, double, domains: ['corp.contoso.com'] }] });
      const json = execFileSync(cli, ['workflow', 'show', '--workflow-id', workflowId, '--address', env.address, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const file = path.join(root, 'test', 'histories', `${label}-${name}-rotate.json`);
      writeFileSync(file, json.endsWith('\n') ? json : `${json}\n`);
      index[path.basename(file)] = workflowId;
      process.stdout.write(`wrote ${path.relative(root, file)} (${(JSON.parse(json).events ?? []).length} events)\n`);
    }
  });
  const indexFile = path.join(root, 'test', 'histories', 'workflow-ids.json');
  const existing = JSON.parse(readFileSync(indexFile, 'utf8').toString() || '{}') as Record<string, string>;
  writeFileSync(indexFile, `${JSON.stringify({ ...existing, ...index }, null, 2)}\n`);
  await pool.close();
  await env.teardown();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
