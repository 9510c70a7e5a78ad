import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { temporal } from '@temporalio/proto';
import { Client } from '@temporalio/client';
import { ROUTES } from '../../api/routes';
import { startApiServer } from '../../api/server';
import { errorSchema } from '../../api/schemas';
import { signWebhook } from '../../api/hooks';
import type { RolloutSpec } from '../../model/spec';
import { encryptionKeyId } from '../../worker/codec';
import { createDataConverter } from '../../worker/data-converter';
import type { CloudtrustLogger } from '../../worker/log';
import { waitUntil } from '../support/wait';
import { HOOK_KEY, startApiFixture, uniqueSpec, type ApiFixture, type ApiResponse } from './fixture';

const run = promisify(execFile);

/** The response is one the route documents, and its JSON body matches the documented schema. */
function expectDocumented(operationId: string, response: ApiResponse): void {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  const schema = response.status >= 400 ? errorSchema : route.responses[response.status]?.schema;
  if (response.status < 400 && !route.responses[response.status]) throw new Error(`${operationId} does not document status ${response.status}: ${response.text}`);
  if (schema && response.headers.get('content-type')?.startsWith('application/json')) {
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) throw new Error(`${operationId} ${response.status} does not match its documented schema: ${parsed.error.message}`);
  }
}

const jsonPayload = (p: temporal.api.common.v1.IPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const metadataText = (p: { metadata: Record<string, string> }, key: string) => Buffer.from(p.metadata[key], 'base64').toString('utf8');

describe('HTTP API end to end: real Temporal server, real worker, lab estate, real HTTP', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApiFixture();
  }, 120_000);
  afterAll(() => f?.close());

  const progress = (id: string) => f.call('GET', `/rollouts/${encodeURIComponent(id)}`, { token: f.token.read });
  const control = (id: string, action: string, body?: unknown, token = f.token.operate) => f.call('POST', `/rollouts/${encodeURIComponent(id)}/${action}`, { token, ...(body ? { body } : {}) });
  const finished = (id: string) => waitUntil(() => progress(id), (r) => r.status === 200 && r.json.run.status !== 'RUNNING', { timeoutMs: 60_000 });

  let planId: string;
  let planSpec: RolloutSpec;

  test('plan: POST /rollouts → progress → report as JSON, Markdown and HTML; listed by spec and kind', async () => {
    planSpec = uniqueSpec();
    const started = await f.call('POST', '/rollouts', { token: f.token.operate, body: { mode: 'plan', spec: planSpec } });
    expectDocumented('startRollout', started);
    expect(started.status).toBe(201);
    expect(started.json).toEqual({ id: expect.stringMatching(new RegExp(`^cloudtrust-plan:${planSpec.name}:[0-9a-f]{12}$`)), started: true, mode: 'plan' });
    planId = started.json.id;
    expect(started.headers.get('location')).toBe(`/rollouts/${encodeURIComponent(planId)}`);

    const done = await finished(planId);
    expectDocumented('getRun', done);
    expect(done.json).toMatchObject({ run: { id: planId, kind: 'plan', spec: planSpec.name, status: 'COMPLETED' }, kind: 'plan', report: { state: 'completed', mode: 'plan' } });

    const json = await f.call('GET', `/rollouts/${encodeURIComponent(planId)}/report?format=json`, { token: f.token.read });
    expectDocumented('getRunReport', json);
    expect(json.json.domains.find((d: { domain: string }) => d.domain === 'corp.contoso.com')).toMatchObject({ status: 'planned' });
    const md = await f.call('GET', `/rollouts/${encodeURIComponent(planId)}/report?format=md`, { token: f.token.read });
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.text).toMatch(new RegExp(`^# cloudtrust plan ${planSpec.name}\n`));
    expect(md.text).toContain('| kerberos.ensure-server | would change |');
    const html = await f.call('GET', `/rollouts/${encodeURIComponent(planId)}/report?format=html`, { token: f.token.read });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.text).toContain(`<h1>cloudtrust plan ${planSpec.name}</h1>`);
    const badFormat = await f.call('GET', `/rollouts/${encodeURIComponent(planId)}/report?format=pdf`, { token: f.token.read });
    expect(badFormat.status).toBe(400);
    expect(badFormat.json.error.problems).toEqual(['query.format: Invalid option: expected one of "json"|"md"|"html"']);

    const listed = await waitUntil(() => f.call('GET', `/rollouts?spec=${planSpec.name}&kind=plan,rollout&limit=5`, { token: f.token.read }), (r) => r.json.runs.length > 0);
    expectDocumented('listRuns', listed);
    expect(listed.json.runs.map((r: { id: string }) => r.id)).toEqual([planId]);
    expect((await f.lab.store.read()).mutations).toEqual({});

    const child = await progress(`${planId}/domain/corp.contoso.com`);
    expect(child.json.error.message).toBe(`${planId}/domain/corp.contoso.com is not a cloudtrust run`);

    const unknown = await progress('cloudtrust:no-such-rollout');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'not-found', message: 'no run cloudtrust:no-such-rollout' });
  });

  test('apply: joins an identical running rollout, refuses another spec under its name, refuses out-of-turn controls with the rollout\'s reason, approves as the token', async () => {
    const spec = uniqueSpec();
    const started = await f.call('POST', '/rollouts', { token: f.token.operate, body: { mode: 'apply', spec } });
    expect(started.status).toBe(201);
    const id = started.json.id as string;
    expect(id).toBe(`cloudtrust:${spec.name}`);
    const again = await f.call('POST', '/rollouts', { token: f.token.operate, body: { mode: 'apply', spec } });
    expectDocumented('startRollout', again);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ id, started: false, mode: 'apply' });
    const changed = await f.call('POST', '/rollouts', { token: f.token.operate, body: { mode: 'apply', spec: { ...spec, options: { ...spec.options, requireSecurityDevice: true } } } });
    expect(changed.status).toBe(409);
    expect(changed.json.error).toMatchObject({ code: 'conflict', message: expect.stringContaining(`rollout ${id} is already running with a different spec`) });

    const waiting = await waitUntil(() => progress(id), (r) => r.json.report.state === 'waiting-approval', { timeoutMs: 90_000 });
    expect(waiting.json.run.status).toBe('RUNNING');
    expect(waiting.json.report.rings.map((r: { name: string; status: string }) => [r.name, r.status])).toEqual([
      ['pilot', 'completed'],
      ['broad', 'waiting-approval'],
    ]);

    const resume = await control(id, 'resume');
    expectDocumented('resumeRollout', resume);
    expect(resume.status).toBe(409);
    expect(resume.json.error).toEqual({ code: 'rejected', message: `${id} refused: the rollout is not paused` });
    const wrongRing = await control(id, 'approve', { ring: 'pilot' });
    expect(wrongRing.status).toBe(409);
    expect(wrongRing.json.error.message).toBe(`${id} refused: ring pilot is not waiting for approval (it is completed)`);
    expect((await control(id, 'approve', {}, f.token.read)).status).toBe(403);

    const approved = await control(id, 'approve', { comment: 'CHG0042 approved by the CAB' });
    expectDocumented('approveRollout', approved);
    expect(approved.status).toBe(200);
    expect(approved.json).toEqual({ id, action: 'approve', result: 'ring broad approved by operator-1: CHG0042 approved by the CAB' });

    const done = await finished(id);
    expect(done.json.report.state).toBe('completed');
    expect(done.json.report.rings.map((r: { name: string; approvedBy?: string }) => [r.name, r.approvedBy ?? null])).toEqual([
      ['pilot', null],
      ['broad', 'operator-1'],
    ]);
    expect(done.json.report.domains.find((d: { domain: string }) => d.domain === 'corp.contoso.com').status).toBe('succeeded');
    expect((await f.lab.store.read()).mutations['kerberos:corp.contoso.com']).toBe(1);

    const late = await control(id, 'pause');
    expect(late.status).toBe(409);
    expect(late.json.error.message).toBe(`rollout ${id} has ended (completed): it takes no pause`);
  }, 240_000);

  test('pause, resume and cancel (with a reason) as the token; a cancelled rollout takes nothing more', async () => {
    const spec = uniqueSpec((s) => {
      s.rings = [{ ...s.rings[0], approval: { required: true } }];
      s.domains = [s.domains[0]];
    });
    const id = (await f.call('POST', '/rollouts', { token: f.token.admin, body: { mode: 'apply', spec } })).json.id as string;
    await waitUntil(() => progress(id), (r) => r.json.report.state === 'waiting-approval', { timeoutMs: 90_000 });

    const paused = await control(id, 'pause');
    expectDocumented('pauseRollout', paused);
    expect(paused.json.result).toMatch(/^paused by operator-1/);
    expect((await progress(id)).json.report.state).toBe('paused');
    expect((await control(id, 'resume')).json.result).toMatch(/^resumed by operator-1/);
    const cancelled = await control(id, 'cancel', { reason: 'change window closed' });
    expectDocumented('cancelRollout', cancelled);
    expect(cancelled.status).toBe(200);

    const done = await finished(id);
    expect(done.json.report.state).toBe('cancelled');
    const after = await control(id, 'approve', {});
    expect(after.status).toBe(409);
    expect(after.json.error.message).toBe(`rollout ${id} has ended (completed): it takes no approve`);
  }, 180_000);

  test('schedules: created by admin only, listed, refused twice, deleted', async () => {
    const spec = uniqueSpec();
    const request = { name: `drift-${spec.name}`, kind: 'drift-check', spec, every: '90d', paused: true };
    expect((await f.call('POST', '/schedules', { token: f.token.operate, body: request })).status).toBe(403);
    const created = await f.call('POST', '/schedules', { token: f.token.admin, body: request });
    expectDocumented('createSchedule', created);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: request.name, kind: 'drift-check', spec: spec.name, every: '90d', paused: true, overlap: 'skip' });
    expect(created.headers.get('location')).toBe(`/schedules/${request.name}`);
    const got = await f.call('GET', created.headers.get('location')!, { token: f.token.read });
    expectDocumented('getSchedule', got);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ name: request.name, kind: 'drift-check', spec: spec.name, every: '90d', paused: true, overlap: 'skip', recentRuns: [] });

    const listed = await f.call('GET', '/schedules', { token: f.token.read });
    expectDocumented('listSchedules', listed);
    expect(listed.json.schedules.map((s: { name: string }) => s.name)).toContain(request.name);
    const twice = await f.call('POST', '/schedules', { token: f.token.admin, body: request });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toBe(`schedule ${request.name} already exists`);

    const deleted = await f.call('DELETE', `/schedules/${request.name}`, { token: f.token.admin });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await f.call('DELETE', `/schedules/${request.name}`, { token: f.token.admin });
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toBe(`no schedule ${request.name}`);
    const notThere = await f.call('GET', `/schedules/${request.name}`, { token: f.token.read });
    expectDocumented('getSchedule', notThere);
    expect(notThere.status).toBe(404);
    expect(notThere.json.error).toMatchObject({ code: 'not-found', message: `no schedule ${request.name}` });
    expect((await f.call('GET', '/schedules', { token: f.token.read })).json.schedules.map((s: { name: string }) => s.name)).not.toContain(request.name);
  });

  test('schedules: a cron expression Temporal cannot parse → 400 naming cron; no schedule is created', async () => {
    const spec = uniqueSpec();
    const name = `cron-${spec.name}`;
    const response = await f.call('POST', '/schedules', { token: f.token.admin, body: { name, kind: 'drift-check', spec, cron: '0 25 * * *', paused: true } });
    expectDocumented('createSchedule', response);
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/cron/i) });
    expect((await f.call('GET', `/schedules/${name}`, { token: f.token.read })).status).toBe(404);
  });

  test('rotate-keys: starts the runbook in plan mode by default; a second one while it runs is refused (409)', async () => {
    const spec = uniqueSpec();
    const started = await f.call('POST', '/rotate-keys', { token: f.token.operate, body: { spec, domains: ['corp.contoso.com'] } });
    expectDocumented('startRotateKeys', started);
    expect(started.status).toBe(201);
    expect(started.json).toEqual({ id: `cloudtrust-rotate:${spec.name}:plan`, started: true, mode: 'plan' });
    const twice = await f.call('POST', '/rotate-keys', { token: f.token.operate, body: { spec, domains: ['corp.contoso.com'] } });
    if (twice.status !== 201) expect(twice.json.error).toMatchObject({ code: 'conflict', message: `a key rotation of ${spec.name} is already running (cloudtrust-rotate:${spec.name}:plan)` });
    const done = await finished(started.json.id);
    expect(done.json).toMatchObject({ kind: 'rotate-keys', run: { status: 'COMPLETED' } });
    const md = await f.call('GET', `/rollouts/${encodeURIComponent(started.json.id)}/report?format=md`, { token: f.token.read });
    expect(md.status).toBe(400);
    expect(md.json.error.hint).toBe('ask for format=json');
  }, 60_000);

  test('a run that ended without a result (terminated) is still found: report null and why', async () => {
    const spec = uniqueSpec();
    const started = await f.call('POST', '/rollouts', { token: f.token.operate, body: { mode: 'apply', spec } });
    expect(started.status).toBe(201);
    await f.context.env.client.workflow.getHandle(started.json.id).terminate('test: operator pulled the plug');
    const gone = await progress(started.json.id);
    expectDocumented('getRun', gone);
    expect(gone.status).toBe(200);
    expect(gone.json).toMatchObject({ run: { status: 'TERMINATED' }, kind: 'rollout', report: null, noReport: expect.stringContaining('ended terminated and left no report') });
  });

  test('rollback: plan by default; removing the Kerberos object needs confirmRemoval and the admin scope', async () => {
    const spec = uniqueSpec();
    const before = (await f.lab.store.read()).mutations;
    const unconfirmed = await f.call('POST', '/rollback', { token: f.token.admin, body: { spec, policy: 'unlink', removeKerberosObject: true } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.json.error.problems).toEqual(['confirmRemoval: removeKerberosObject needs confirmRemoval: removing the object ends cloud Kerberos trust for the domain']);
    const operator = await f.call('POST', '/rollback', { token: f.token.operate, body: { spec, policy: 'unlink', removeKerberosObject: true, confirmRemoval: true } });
    expect(operator.status).toBe(403);
    expect(operator.json.error.message).toBe('removing the Azure AD Kerberos server object needs the admin scope');

    const started = await f.call('POST', '/rollback', { token: f.token.admin, body: { spec, policy: 'disable', removeKerberosObject: true, confirmRemoval: true } });
    expectDocumented('startRollback', started);
    expect(started.json).toEqual({ id: `cloudtrust-rollback:${spec.name}:plan`, started: true, mode: 'plan' });
    const done = await finished(started.json.id);
    expect(done.json).toMatchObject({ kind: 'rollback', run: { status: 'COMPLETED' } });
    expect((await f.lab.store.read()).mutations).toEqual(before);
  }, 60_000);

  test('migrate-intune: plan by default, operate scope, a strict body; gpo domains are skipped and nothing changes', async () => {
    const spec = uniqueSpec();
    const before = (await f.lab.store.read()).mutations;
    const unknownField = await f.call('POST', '/migrate-intune', { token: f.token.operate, body: { spec, from: 'custom-profile' } });
    expect(unknownField.status).toBe(400);
    expect((await f.call('POST', '/migrate-intune', { token: f.token.read, body: { spec } })).status).toBe(403);

    const started = await f.call('POST', '/migrate-intune', { token: f.token.operate, body: { spec } });
    expectDocumented('startMigrateIntune', started);
    expect(started.json).toEqual({ id: `cloudtrust-migrate-intune:${spec.name}:plan`, started: true, mode: 'plan' });
    const done = await finished(started.json.id);
    expect(done.json).toMatchObject({ kind: 'migrate-intune', run: { status: 'COMPLETED' }, report: { runbook: 'migrate-intune', domains: [{ status: 'skipped' }, { status: 'skipped' }] } });
    expect((await f.lab.store.read()).mutations).toEqual(before);
  }, 60_000);

  describe('webhooks', () => {
    const deliver = (hook: string, body: string, headers: Record<string, string>) => f.call('POST', `/hooks/${hook}`, { rawBody: body, headers: { 'content-type': 'application/json', ...headers } });
    const now = () => Math.floor(Date.now() / 1000);

    test('a signed delivery → 202 with the run it started; the reference is in the response and the log', async () => {
      const body = JSON.stringify({ reference: 'CHG0001234' });
      const timestamp = now();
      const response = await deliver('plan-hook', body, { 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp) });
      expectDocumented('deliverWebhook', response);
      expect(response.status).toBe(202);
      expect(response.json).toEqual({ hook: 'plan-hook', action: 'plan', id: expect.stringMatching(new RegExp(`^cloudtrust-plan:${f.hookSpecs.plan.name}:`)), started: true, reference: 'CHG0001234' });
      expect((await progress(response.json.id)).status).toBe(200);
      expect(f.logs.find((l) => l.message === 'webhook accepted')?.meta).toMatchObject({ hook: 'plan-hook', runId: response.json.id, reference: 'CHG0001234' });
      await finished(response.json.id);

      const replayed = await deliver('plan-hook', body, { 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp) });
      expectDocumented('deliverWebhook', replayed);
      expect(replayed.status).toBe(409);
      expect(replayed.json.error.message).toMatch(/^this delivery \(same timestamp and signature\) was already accepted at /);

      const empty = now();
      const noBody = await f.call('POST', '/hooks/plan-hook', { rawBody: '', headers: { 'x-cloudtrust-timestamp': String(empty), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, '', empty) } });
      expect(noBody.status).toBe(202);
    }, 60_000);

    test('two identical deliveries at once: exactly one is accepted (202), the other is refused as a replay (409)', async () => {
      const body = JSON.stringify({ reference: 'CHG0005678' });
      const timestamp = now();
      const headers = { 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp) };
      const responses = await Promise.all([deliver('plan-hook', body, headers), deliver('plan-hook', body, headers)]);
      for (const response of responses) expectDocumented('deliverWebhook', response);
      expect(responses.map((r) => r.status).sort()).toEqual([202, 409]);
      const refused = responses.find((r) => r.status === 409)!;
      expect(refused.json.error).toMatchObject({ code: 'replayed', message: expect.stringMatching(/^this delivery \(same timestamp and signature\) was already accepted/) });
      await finished(responses.find((r) => r.status === 202)!.json.id);
    }, 60_000);

    test('a delivery that failed is not a replay: the sender may retry it as it was', async () => {
      const specFile = path.join(f.dataDir, 'plan.yaml');
      const good = readFileSync(specFile, 'utf8');
      const body = JSON.stringify({ reference: 'CHG0007777' });
      const timestamp = now();
      const headers = { 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp) };
      writeFileSync(specFile, 'name: Not Valid\n');
      try {
        const failed = await deliver('plan-hook', body, headers);
        expect(failed.status).toBe(400);
      } finally {
        writeFileSync(specFile, good);
      }
      const retried = await deliver('plan-hook', body, headers);
      expect(retried.status).toBe(202);
      expect((await deliver('plan-hook', body, headers)).status).toBe(409);
      await finished(retried.json.id);
    }, 60_000);

    test('bad, missing or stale signatures → 401 with the reason; a bad body or unknown hook is refused; nothing starts', async () => {
      const body = JSON.stringify({ reference: 'CHG0009999' });
      const timestamp = now();
      const cases: Array<[Record<string, string>, string]> = [
        [{ 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook('wrong-key-wrong-key-wrong-key-wrong', body, timestamp) }, 'the signature does not match'],
        [{ 'x-cloudtrust-timestamp': String(timestamp) }, 'missing the X-Cloudtrust-Signature header'],
        [{ 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp) }, 'missing the X-Cloudtrust-Timestamp header'],
        [{ 'x-cloudtrust-timestamp': String(timestamp - 600), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp - 600) }, "s away from the server's clock; at most 300 s is accepted"],
        [{ 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body.replace('9999', '0000'), timestamp) }, 'the signature does not match'],
      ];
      for (const [headers, reason] of cases) {
        const response = await deliver('apply-hook', body, headers);
        expectDocumented('deliverWebhook', response);
        expect(response.status).toBe(401);
        expect(response.json.error.message).toContain(reason);
        expect(response.headers.get('www-authenticate')).toBe('Cloudtrust-HMAC-SHA256 realm="cloudtrust-hooks"');
      }
      const hostile = JSON.stringify({ reference: '$(Stop-Computer)', extra: 1 });
      const signedHostile = await deliver('apply-hook', hostile, { 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, hostile, timestamp) });
      expect(signedHostile.status).toBe(400);
      expect(signedHostile.json.error.problems).toEqual(['reference: must be a ticket reference of letters, digits and _ . : # / - (at most 128)', 'body: Unrecognized key: "extra"']);
      const unknown = await deliver('no-such-hook', body, { 'x-cloudtrust-timestamp': String(timestamp), 'x-cloudtrust-signature': signWebhook(HOOK_KEY, body, timestamp) });
      expect(unknown.status).toBe(404);

      await new Promise((resolve) => setTimeout(resolve, 500));
      const runs = await f.call('GET', `/rollouts?spec=${f.hookSpecs.apply.name}`, { token: f.token.read });
      expect(runs.json.runs).toEqual([]);
    });
  });

  describe('codec server', () => {
    async function startedInput(workflowId: string): Promise<temporal.api.common.v1.IPayload> {
      const history = await f.context.env.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
      return history.history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    }

    test("decodes a payload the worker's codec encrypted (read scope); encode needs operate; a round trip is lossless", async () => {
      const encrypted = jsonPayload(await startedInput(planId));
      expect(metadataText(encrypted, 'encoding')).toBe('binary/encrypted');
      expect(Buffer.from(encrypted.data, 'base64').toString('utf8')).not.toContain(planSpec.name);

      expect((await f.call('POST', '/codec/decode', { body: { payloads: [encrypted] } })).status).toBe(401);
      const decoded = await f.call('POST', '/codec/decode', { token: f.token.read, headers: { 'x-namespace': 'default' }, body: { payloads: [encrypted] } });
      expectDocumented('decodePayloads', decoded);
      expect(decoded.status).toBe(200);
      const [plain] = decoded.json.payloads;
      expect(metadataText(plain, 'encoding')).toBe('json/plain');
      expect(JSON.parse(Buffer.from(plain.data, 'base64').toString('utf8'))).toMatchObject({ spec: { name: planSpec.name }, mode: 'plan' });

      expect((await f.call('POST', '/codec/encode', { token: f.token.read, body: { payloads: [plain] } })).status).toBe(403);
      const encoded = await f.call('POST', '/codec/encode', { token: f.token.operate, body: { payloads: [plain] } });
      expect(metadataText(encoded.json.payloads[0], 'encoding')).toBe('binary/encrypted');
      const back = await f.call('POST', '/codec/decode', { token: f.token.read, body: encoded.json });
      expect(back.json.payloads).toEqual([plain]);

      const tampered = { ...encrypted, data: Buffer.from(Buffer.from(encrypted.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64') };
      const refused = await f.call('POST', '/codec/decode', { token: f.token.read, body: { payloads: [tampered] } });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/authentication failed \(the payload was altered or the key is wrong\)/);
    });

    test('a browser signed in at /codec/session decodes with its cookie alone; the session ends with its token', async () => {
      const encrypted = jsonPayload(await startedInput(planId));
      const page = await f.call('GET', '/codec/session');
      expect(page.text).toContain('<form method="post" action="/codec/session">');
      const form = (token: string) => ({ rawBody: new URLSearchParams({ token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

      expect((await f.call('POST', '/codec/session', form('ct_000000000000_' + 'A'.repeat(43)))).status).toBe(401);
      expect((await f.call('POST', '/codec/session', { body: { token: f.token.read } })).status).toBe(415);
      const { token, record } = await f.tokens.issue({ name: 'web-ui-reader', scope: 'read' });
      const signedIn = await f.call('POST', '/codec/session', form(token));
      expect(signedIn.status).toBe(200);
      const setCookie = signedIn.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^cloudtrust_codec=[A-Za-z0-9_-]{43}; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=28800$/);
      expect(setCookie).not.toContain(token.slice(-43));
      const cookie = { cookie: setCookie.split(';')[0] };

      const decoded = await f.call('POST', '/codec/decode', { headers: { ...cookie, origin: 'http://localhost:8233' }, body: { payloads: [encrypted] } });
      expect(decoded.status).toBe(200);
      expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
      expect(metadataText(decoded.json.payloads[0], 'encoding')).toBe('json/plain');
      expect((await f.call('POST', '/codec/encode', { headers: cookie, body: { payloads: decoded.json.payloads } })).status).toBe(403);
      expect((await f.call('GET', '/rollouts', { headers: cookie })).status).toBe(401);

      await f.tokens.revoke(record.id);
      const ended = await f.call('POST', '/codec/decode', { headers: cookie, body: { payloads: [encrypted] } });
      expect(ended.status).toBe(401);
      expect(ended.json.error.message).toMatch(/codec session has expired or its token was revoked/);

      const again = await f.tokens.issue({ name: 'web-ui-reader-2', scope: 'read' });
      const second = { cookie: (await f.call('POST', '/codec/session', form(again.token))).headers.get('set-cookie')!.split(';')[0] };
      expect((await f.call('DELETE', '/codec/session', { headers: second })).status).toBe(204);
      expect((await f.call('POST', '/codec/decode', { headers: second, body: { payloads: [encrypted] } })).status).toBe(401);
    });

    test("a history encrypted with a key the server lacks is the server's problem (500 with a hint), not the caller's; on the codec route it is the caller's (400)", async () => {
      const otherKeyring = { current: randomBytes(32), previous: [] };
      const client = new Client({ connection: f.context.env.client.connection, namespace: 'default', dataConverter: createDataConverter(otherKeyring) });
      const lines: Array<{ message: string; meta?: unknown }> = [];
      const record = (message: string, meta?: unknown) => void lines.push({ message, meta });
      const logger: CloudtrustLogger = { log: (_level, message, meta) => record(message, meta), trace: record, debug: record, info: record, warn: record, error: record };
      const other = await startApiServer({ client, taskQueue: f.taskQueue, tokens: f.tokens, keyring: otherKeyring, hooks: [], corsOrigins: [], logger, port: 0 });
      try {
        const response = await fetch(`${other.url}/rollouts/${encodeURIComponent(planId)}`, { headers: { authorization: `Bearer ${f.token.read}` } });
        const text = await response.text();
        expect(response.status).toBe(500);
        const { error } = JSON.parse(text);
        expect(error).toEqual({
          code: 'internal',
          message: expect.stringMatching(/^the server cannot decrypt this run's data: it lacks the key the data was encrypted with \(request req-\w+; the details are in the server log\)$/),
          hint: expect.stringContaining('CLOUDTRUST_CODEC_OLD_KEYS'),
        });
        expect(errorSchema.safeParse(JSON.parse(text)).success).toBe(true);
        for (const key of [f.context.keyring.current, otherKeyring.current]) {
          expect(text).not.toContain(encryptionKeyId(key));
          expect(text).not.toContain(key.toString('base64'));
        }
        const logged = lines.find((l) => l.message === 'server-side failure');
        expect(String((logged?.meta as { error: Error }).error.message)).toContain(encryptionKeyId(f.context.keyring.current));

        const encrypted = jsonPayload(await startedInput(planId));
        const decode = await fetch(`${other.url}/codec/decode`, { method: 'POST', headers: { authorization: `Bearer ${f.token.read}`, 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [encrypted] }) });
        expect(decode.status).toBe(400);
        expect(((await decode.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('CLOUDTRUST_CODEC_OLD_KEYS') });
      } finally {
        await other.close();
      }
    });

    test('the Temporal CLI shows decoded payloads through --codec-endpoint and --codec-auth', async () => {
      const cli = process.env.TEMPORAL_CLI_PATH!;
      const args = ['workflow', 'show', '--workflow-id', planId, '--address', f.context.env.address, '--namespace', 'default', '--output', 'json'];
      type Shown = { events: Array<{ workflowExecutionStartedEventAttributes?: { input: { payloads: Array<{ metadata: Record<string, string>; data: string }> } } }> };
      const startedInputOf = (stdout: string) => (JSON.parse(stdout) as Shown).events[0].workflowExecutionStartedEventAttributes!.input.payloads[0];

      const encrypted = startedInputOf((await run(cli, args)).stdout);
      expect(metadataText(encrypted, 'encoding')).toBe('binary/encrypted');
      const decoded = startedInputOf((await run(cli, [...args, '--codec-endpoint', `${f.api.url}/codec`, '--codec-auth', `Bearer ${f.token.read}`])).stdout);
      expect(metadataText(decoded, 'encoding')).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString('utf8')).spec.domains[0].gpo.targets).toEqual(planSpec.domains[0].gpo!.targets);

      expect(f.logs.some((l) => (l.meta as { route?: string; status?: number }).route === '/codec/decode' && (l.meta as { status?: number }).status === 200)).toBe(true);
    });
  });

  test('no token and no hook key ever reached the log', () => {
    const logged = JSON.stringify(f.logs);
    expect(logged).toContain('"route":"/codec/decode"');
    for (const token of Object.values(f.token)) expect(logged).not.toContain(token.slice(-43));
    expect(logged).not.toContain(HOOK_KEY);
  });
});
