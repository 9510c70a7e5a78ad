import { randomUUID } from 'node:crypto';
import { ENCRYPTED_ENCODING } from '../../worker/codec';
import { preflightDomain } from '../../workflows';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

describe('preflight workflow end to end: real Temporal server, real worker, the real scripts in the lab', () => {
  let lab: LabWorker;
  beforeAll(async () => {
    lab = await startLabWorker({ taskQueuePrefix: 'preflight' });
  });
  afterAll(() => lab?.stop());

  async function runPreflight(domain: string) {
    const workflowId = `preflight/${domain}/${randomUUID()}`;
    const result = await lab.context.env.client.workflow.execute(preflightDomain, { taskQueue: lab.taskQueue, workflowId, args: [{ domain }] });
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
    const history = await lab.context.env.client.workflow.getHandle(workflowId).fetchHistory();
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
