// Records golden histories for the replay test: `npm run build && node dist/test/histories/record.js`.
// Payloads are recorded unencrypted (no codec) so replay needs no key. Re-record only when a workflow change is
// guarded by patched() and the old histories have been kept beside the new ones.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../../activities/bridge/paths';
import { secretStoreFromEnv } from '../../activities/secrets';
import { startRollout } from '../../client/rollouts';
import { startDriftCheck, startRollback, startRotateKeys } from '../../client/runbooks';
import { isRolloutRecord } from '../../model/report-types';
import { domainKey, kindKey, specKey, stateKey, tenantKey } from '../../model/search-attributes';
import { parseSpec } from '../../model/spec-file';
import { createCloudtrustWorker } from '../../worker/create-worker';
import { createDataConverter } from '../../worker/data-converter';
import { ensureTemporalCli } from '../../worker/temporal-cli';
import { approveRingUpdate } from '../../workflows/messages';
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
  const spec = parseSpec(readFileSync(path.join(root, 'specs', 'lab-default.yaml'), 'utf8'));
  spec.options.replicationPollInterval = '1s';
  await worker.runUntil(async () => {
    for (const mode of ['plan', 'apply'] as const) {
      const started = await startRollout(env.client, spec, mode, taskQueue);
      if (mode === 'apply') {
        for (;;) {
          const done = await started.handle.executeUpdate(approveRingUpdate, { args: [{ ring: 'broad', approver: 'recorder' }] }).then(() => true, () => false);
          if (done) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      await started.report();
      save(`${mode}-rollout`, started.workflowId);
      save(`${mode}-domain`, `${started.workflowId}/domain/corp.contoso.com`);
      // From rollout-batches on, the rollout's domains are held by batch children.
      const own = await started.handle.result();
      if (isRolloutRecord(own)) save(`${mode}-batch`, own.batches[own.domains.find((d) => d.domain === 'corp.contoso.com')!.batch].workflowId);
    }
    // The runbooks on the rolled-out estate: a forced rotation (the key is minutes old), a drift check, a rollback.
    const rotation = await startRotateKeys(env.client, { spec, mode: 'apply', force: true }, taskQueue);
    await rotation.result();
    save('rotate-keys-apply', rotation.workflowId);
    const drift = await startDriftCheck(env.client, spec, taskQueue);
    await drift.result();
    save('drift-check', drift.workflowId);
    const rollback = await startRollback(env.client, { spec, mode: 'apply', policy: 'unlink' }, taskQueue);
    await rollback.result();
    save('rollback-apply', rollback.workflowId);
  });

  function save(suffix: string, id: string): void {
    // The CLI's JSON form (the SDK's historyToJSON fails on a protobufjs version mismatch in 1.24.0).
    const json = execFileSync(cli, ['workflow', 'show', '--workflow-id', id, '--address', env.address, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const file = path.join(root, 'test', 'histories', `${label}-${suffix}.json`);
    writeFileSync(file, json.endsWith('\n') ? json : `${json}\n`);
    index[path.basename(file)] = id;
    process.stdout.write(`wrote ${path.relative(root, file)} (${(JSON.parse(json).events ?? []).length} events)\n`);
  }
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
