import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { createCloudtrustWorker } from '../../worker/create-worker';
import { ENCRYPTED_ENCODING } from '../../worker/codec';
import { preflightDomain } from '../../workflows';
import { labPool } from '../transport/pool-fixture';
import { startWorkflowTestContext, type WorkflowTestContext } from './environment';

describe('preflight workflow end to end: real Temporal server, real worker, lab host', () => {
  let context: WorkflowTestContext;
  let pool: PowerShellPool;
  beforeAll(async () => {
    context = await startWorkflowTestContext();
    pool = labPool(2, { ...process.env, CLOUDTRUST_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cloudtrust-lab-')) });
  });
  afterAll(async () => {
    await pool?.close();
    await context?.env.teardown();
  });

  async function runPreflight(domain: string) {
    const taskQueue = `test-${randomUUID()}`;
    const worker = await createCloudtrustWorker({
      connection: context.env.nativeConnection,
      namespace: context.env.namespace ?? 'default',
      taskQueue,
      pool,
      dataConverter: context.dataConverter,
      workflowBundle: context.bundle,
    });
    const workflowId = `preflight/${domain}/${randomUUID()}`;
    const result = await worker.runUntil(context.env.client.workflow.execute(preflightDomain, { taskQueue, workflowId, args: [{ domain }] }));
    return { result, workflowId };
  }

  test('a healthy domain is ready, with every DC judged by build and UBR', async () => {
    const { result } = await runPreflight('corp.contoso.com');
    expect(result.ready).toBe(true);
    expect(result.forest).toBe('corp.contoso.com');
    expect(result.controllers.map((c) => [c.hostName, c.status])).toEqual([
      ['dc01.corp.contoso.com', 'supported'],
      ['dc02.corp.contoso.com', 'supported'],
      ['dc03.corp.contoso.com', 'supported'],
    ]);
  });

  test('a domain whose branch site has only an unpatched RODC is not ready, with its reasons', async () => {
    const { result } = await runPreflight('emea.corp.contoso.com');
    expect(result.ready).toBe(false);
    expect(result.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'blocker', code: 'site-without-writable-dc', target: 'Branch-Lyon' }),
        expect.objectContaining({ severity: 'warning', code: 'dc-below-minimum-build', target: 'emea-dc02.emea.corp.contoso.com' }),
      ]),
    );
  });

  test('payloads in the history are encrypted: no domain name or DC name in clear', async () => {
    const { workflowId } = await runPreflight('corp.contoso.com');
    const history = await context.env.client.workflow.getHandle(workflowId).fetchHistory();
    const raw = JSON.stringify(history);
    expect(raw).not.toContain(Buffer.from('dc01.corp.contoso.com').toString('base64'));
    const completed = history.events?.find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
    const payload = completed?.result?.payloads?.[0];
    expect(Buffer.from(payload?.metadata?.encoding as Uint8Array).toString()).toBe(ENCRYPTED_ENCODING);
    for (const event of history.events ?? []) {
      for (const p of event.activityTaskCompletedEventAttributes?.result?.payloads ?? []) {
        expect(Buffer.from(p.data as Uint8Array).toString('latin1')).not.toContain('dc01');
      }
    }
  });
});
