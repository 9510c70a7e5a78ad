import { randomUUID } from 'node:crypto';
import { RolloutConflictError, rolloutProgress, startRollout } from '../../client/rollouts';
import { renderMarkdown } from '../../model/report-render';
import type { RolloutReport } from '../../model/report-types';
import type { RolloutSpec } from '../../model/spec';
import { approveRingUpdate, cancelRolloutUpdate, kerberosOperatorDoneUpdate, pauseRolloutUpdate, resumeRolloutUpdate } from '../../workflows/messages';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';
import { waitUntil } from '../support/wait';

const baseSpec = readLabDefaultSpec();

function variant(change: (spec: RolloutSpec) => void): RolloutSpec {
  const spec = structuredClone(baseSpec);
  spec.name = `lab-${randomUUID().slice(0, 8)}`;
  spec.options.replicationPollInterval = '1s';
  change(spec);
  return spec;
}

/** The reason an update was rejected (the client error says only "Workflow Update failed"; the cause has the text). */
async function updateRejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e as { cause?: { message?: string } });
  if (!error) throw new Error('expected the update to be rejected');
  return error.cause?.message ?? String(error);
}

describe('rollout workflow: real Temporal server, real worker, lab estate', () => {
  let lab: LabWorker;

  beforeAll(async () => {
    lab = await startLabWorker({ taskQueuePrefix: 'rollout' });
  });
  afterAll(() => lab?.stop());

  const client = () => lab.context.env.client;
  const resetEstate = () =>
    lab.store.update((estate) => {
      for (const domain of estate.forests.flatMap((f) => f.domains)) {
        domain.kerberosServer.ad = null;
        domain.kerberosServer.cloud = null;
        domain.kerberosServer.replicationDelaySeconds = 1;
        domain.gpos = domain.gpos.filter((g) => !g.displayName.startsWith('cloudtrust'));
      }
      estate.mutations = {};
      estate.faults = [];
    });

  async function apply(spec: RolloutSpec, approve = true): Promise<RolloutReport> {
    const started = await startRollout(client(), spec, 'apply', lab.taskQueue);
    if (approve) {
      await waitUntil(() => rolloutProgress(client(), started.workflowId), (r) => r.state === 'waiting-approval' || r.state === 'completed' || r.state === 'halted', { timeoutMs: 90_000, what: 'the approval gate or the end' });
      const progress = await rolloutProgress(client(), started.workflowId);
      if (progress.state === 'waiting-approval') await started.handle.executeUpdate(approveRingUpdate, { args: [{ ring: 'broad', approver: 'tester' }] });
    }
    return started.report();
  }

  test('plan mode reports the intended changes per domain and step, and changes nothing', async () => {
    await resetEstate();
    const spec = variant(() => undefined);
    const started = await startRollout(client(), spec, 'plan', lab.taskQueue);
    const report = await started.report();
    expect(report.state).toBe('completed');
    const corp = report.domains.find((d) => d.domain === 'corp.contoso.com')!;
    expect(corp.status).toBe('planned');
    expect(corp.steps.map((s) => [s.step, s.planOnly, s.changed])).toEqual([
      ['kerberos.ensure-server', true, true],
      ['gpo.ensure-policy', true, true],
      ['gpo.ensure-filtering', true, true],
      ['gpo.ensure-links', true, true],
    ]);
    // The default estate's host has no Kerberos module yet: the plan installs it, so it cannot read the object.
    expect(corp.steps[0].changes).toEqual([expect.stringMatching(/^create or verify the Azure AD Kerberos server object for corp\.contoso\.com once the management host has AzureADHybridAuthenticationManagement/)]);
    const emea = report.domains.find((d) => d.domain === 'emea.corp.contoso.com')!;
    expect(emea.status).toBe('not-ready');
    expect(emea.sites).toEqual([
      { site: 'Branch-Lyon', writable: 0, readOnly: 1, capableWritable: 0, required: 1, status: 'read-only-only' },
      { site: 'HQ', writable: 1, readOnly: 0, capableWritable: 1, required: 1, status: 'ok' },
    ]);
    expect(renderMarkdown(report)).toContain('| Branch-Lyon | 0 | 1 | 0 | 1 | read-only-only |');
    expect((await lab.store.read()).mutations).toEqual({});
  });

  test('apply: pilot ring, approval gate, broad ring; every change exactly once; a second run changes nothing', async () => {
    await resetEstate();
    const spec = variant(() => undefined);
    const first = await apply(spec);
    expect(first.state).toBe('completed');
    expect(first.rings.map((r) => [r.name, r.status, r.approvedBy])).toEqual([
      ['pilot', 'completed', undefined],
      ['broad', 'completed', 'tester'],
    ]);
    const corp = first.domains.find((d) => d.domain === 'corp.contoso.com')!;
    expect(corp.status).toBe('succeeded');
    // Sampled in each device's signed-in user session (the default collect), a verdict per device in the report.
    const sample = corp.steps.find((s) => s.step === 'clients.read-devices')!;
    expect(sample.clients!.map((c) => [c.name, c.assessment, c.describes])).toEqual([
      ['WS-CORP-001', 'cloud-kerberos-trust', 'signed-in user CORP\\user'],
      ['WS-CORP-002', 'cloud-kerberos-trust', 'signed-in user CORP\\user'],
      ['WS-CORP-003', 'key-trust-fallback', 'signed-in user CORP\\user'],
      ['WS-CORP-004', 'not-provisioned', 'signed-in user CORP\\user'],
      ['WS-CORP-005', 'not-eligible', 'signed-in user CORP\\user'],
    ]);
    expect((await lab.store.read()).devices.flatMap((d) => d.scheduledTasks)).toEqual([]);
    const mutations = (await lab.store.read()).mutations;
    expect(mutations['kerberos:corp.contoso.com']).toBe(1);
    expect(Object.values(mutations).every((count) => count === 1)).toBe(true);

    const second = await apply(spec);
    expect(second.domains.find((d) => d.domain === 'corp.contoso.com')!.steps.filter((s) => s.changed)).toEqual([]);
    expect((await lab.store.read()).mutations).toEqual(mutations);
  }, 240_000);

  test('starting the same spec twice joins the running rollout; a different spec under the same name is refused', async () => {
    await resetEstate();
    const spec = variant(() => undefined);
    const first = await startRollout(client(), spec, 'apply', lab.taskQueue);
    const again = await startRollout(client(), spec, 'apply', lab.taskQueue);
    expect(again).toMatchObject({ workflowId: first.workflowId, started: false });
    const changed = structuredClone(spec);
    changed.options.requireSecurityDevice = true;
    await expect(startRollout(client(), changed, 'apply', lab.taskQueue)).rejects.toBeInstanceOf(RolloutConflictError);
    await waitUntil(() => rolloutProgress(client(), first.workflowId), (r) => r.state === 'waiting-approval', { timeoutMs: 90_000 });
    expect(await updateRejection(first.handle.executeUpdate(approveRingUpdate, { args: [{ ring: 'pilot', approver: 'x' }] }))).toMatch(/ring pilot is not waiting for approval/);
    await first.handle.executeUpdate(cancelRolloutUpdate, { args: [{ by: 'tester', reason: 'test over' }] });
    const report = await first.report();
    expect(report.state).toBe('cancelled');
    expect(report.rings.find((r) => r.name === 'broad')!.status).toBe('skipped');
  }, 240_000);

  test('an approval that does not come in time halts the rollout', async () => {
    await resetEstate();
    const spec = variant((s) => {
      s.rings[1].approval = { required: true, timeout: '2s' };
    });
    const report = await (await startRollout(client(), spec, 'apply', lab.taskQueue)).report();
    expect(report.state).toBe('halted');
    expect(report.haltReason).toBe('ring broad was not approved within 2s');
  });

  test('a failing domain spends the ring failure budget and halts the rollout with the real error text', async () => {
    await resetEstate();
    await lab.store.update((estate) => {
      estate.faults = [{ command: 'Set-GPRegistryValue', target: 'corp.contoso.com', mode: 'permanent', message: 'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))', category: 'PermissionDenied', errorId: 'UnauthorizedAccess' }];
    });
    const report = await apply(variant(() => undefined), false);
    expect(report.state).toBe('halted');
    expect(report.haltReason).toBe('ring pilot spent its failure budget (1 failed, 0 allowed)');
    const failed = report.domains.find((d) => d.domain === 'corp.contoso.com')!.steps.find((s) => s.status === 'failed')!;
    expect(failed).toMatchObject({ step: 'gpo.ensure-policy', error: { type: 'AccessDenied', message: expect.stringContaining('Access is denied.') } });
  });

  test('review row 2: the GPO is filtered before it is linked: a missing computer group fails before any link, and the report lists filtering before linking', async () => {
    await resetEstate();
    const spec = variant((s) => {
      s.domains[0].gpo!.computerGroup = 'WHfB-Devices-Missing';
    });
    const report = await apply(spec, false);
    const corp = report.domains.find((d) => d.domain === 'corp.contoso.com')!;
    expect(corp.status).toBe('failed');
    expect(corp.steps.filter((s) => s.step.startsWith('gpo.')).map((s) => [s.step, s.status])).toEqual([
      ['gpo.ensure-policy', 'ok'],
      ['gpo.ensure-filtering', 'failed'],
    ]);
    expect(corp.steps.find((s) => s.step === 'gpo.ensure-filtering')!.error).toMatchObject({ type: 'NotFound' });
    const gpo = (await lab.store.read()).forests.flatMap((f) => f.domains).find((d) => d.dnsName === 'corp.contoso.com')!.gpos.find((g) => g.displayName === spec.domains[0].gpo!.name)!;
    // New-GPO's default filtering (Authenticated Users GpoApply) is still in place, but the GPO applies nowhere.
    expect(gpo.permissions).toContainEqual({ trustee: 'Authenticated Users', trusteeType: 'Group', permission: 'GpoApply' });
    expect(gpo.links).toEqual([]);

    const fixed = structuredClone(spec);
    fixed.name = `${spec.name}-fixed`;
    fixed.domains[0].gpo!.computerGroup = baseSpec.domains[0].gpo!.computerGroup;
    const markdown = renderMarkdown(await apply(fixed));
    expect(markdown.indexOf('gpo.ensure-filtering')).toBeGreaterThan(0);
    expect(markdown.indexOf('gpo.ensure-filtering')).toBeLessThan(markdown.indexOf('gpo.ensure-links'));
  });

  test('MFA-protected admin: the domain waits for an operator, rejects a bad confirmation with the reason, then verifies and goes on', async () => {
    await resetEstate();
    const spec = variant((s) => {
      s.cloudSignIn = { interactive: { userPrincipalName: 'cloud-admin@contoso.com' } };
      s.rings = [s.rings[0]];
      s.domains = [s.domains[0]];
    });
    const started = await startRollout(client(), spec, 'apply', lab.taskQueue);
    const waiting = await waitUntil(() => rolloutProgress(client(), started.workflowId), (r) => r.domains[0].status === 'waiting-operator');
    expect(waiting.domains[0].operatorCommand).toContain("Set-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'cloud-admin@contoso.com'");
    const child = client().workflow.getHandle(`${started.workflowId}/domain/corp.contoso.com`);

    expect(await updateRejection(child.executeUpdate(kerberosOperatorDoneUpdate, { args: [{ by: 'operator' }] }))).toMatch(/not present/);

    // The operator runs the command: the object now exists in the estate.
    await lab.store.update((estate) => {
      const domain = estate.forests[0].domains[0];
      const now = new Date().toISOString();
      domain.kerberosServer.ad = { id: 4242, keyVersion: 120000, previousKeyVersion: null, keyUpdatedOn: now, keyUpdatedFrom: 'dc01.corp.contoso.com', userAccount: 'CN=krbtgt_AzureAD,CN=Users,DC=corp,DC=contoso,DC=com', computerAccount: 'CN=AzureADKerberos,OU=Domain Controllers,DC=corp,DC=contoso,DC=com' };
      domain.kerberosServer.cloud = { id: 4242, keyVersion: 120000, keyUpdatedOn: now, domainDnsName: 'corp.contoso.com', displayName: 'krbtgt_4242' };
    });
    const pasted = ['Id                 : 4242', 'DomainDnsName      : corp.contoso.com', 'KeyVersion         : 120000', 'KeyUpdatedFrom     : dc01.corp.contoso.com', 'CloudId            : 4242', 'CloudDomainDnsName : corp.contoso.com', 'CloudKeyVersion    : 120001'].join('\n');
    expect(await updateRejection(child.executeUpdate(kerberosOperatorDoneUpdate, { args: [{ by: 'operator', getOutput: pasted }] }))).toMatch(/KeyVersion 120000 differs from CloudKeyVersion 120001/);
    expect((await rolloutProgress(client(), started.workflowId)).domains[0].operatorRejection).toMatch(/KeyVersion 120000 differs/);

    const accepted = await child.executeUpdate(kerberosOperatorDoneUpdate, { args: [{ by: 'operator', getOutput: pasted.replace('120001', '120000') }] });
    expect(accepted).toMatch(/^accepted/);
    const report = await started.report();
    expect(report.domains[0].status).toBe('succeeded');
    expect(report.domains[0].steps[0]).toMatchObject({ step: 'kerberos.operator-confirmed', status: 'ok', changes: ['created by operator (operator-assisted)'] });
    expect((await lab.store.read()).mutations['kerberos:corp.contoso.com']).toBeUndefined();
  });

  test('pause holds new domains back until resume; rollouts are listed by spec and state', async () => {
    await resetEstate();
    const spec = variant((s) => {
      s.rings = [{ ...s.rings[0], approval: { required: true } }];
      s.domains = [s.domains[0]];
    });
    const started = await startRollout(client(), spec, 'apply', lab.taskQueue);
    await waitUntil(() => rolloutProgress(client(), started.workflowId), (r) => r.state === 'waiting-approval', { timeoutMs: 90_000 });
    expect(await started.handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'tester' }] })).toMatch(/^paused by tester/);
    await started.handle.executeUpdate(approveRingUpdate, { args: [{ ring: 'pilot', approver: 'tester' }] });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const held = await rolloutProgress(client(), started.workflowId);
    expect(held.state).toBe('paused');
    expect(held.domains[0].status).toBe('pending');
    await started.handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'tester' }] });
    expect((await started.report()).domains[0].status).toBe('succeeded');

    const listed = await waitUntil(
      async () => {
        const ids: string[] = [];
        for await (const execution of client().workflow.list({ query: `CloudtrustSpec = '${spec.name}' AND CloudtrustState = 'completed' AND CloudtrustKind = 'rollout'` })) ids.push(execution.workflowId);
        return ids;
      },
      (ids) => ids.length > 0,
    );
    expect(listed).toEqual([started.workflowId]);
  }, 240_000);
});
