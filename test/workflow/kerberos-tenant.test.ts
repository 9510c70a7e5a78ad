import { randomUUID } from 'node:crypto';
import { DomainTenantConflictError, domainsOfOtherTenants } from '../../client/domain-tenants';
import { rolloutProgress, startRollout } from '../../client/rollouts';
import { startDriftCheck } from '../../client/runbooks';
import type { LabEstate } from '../../lab/estate/schema';
import type { RolloutReport } from '../../model/report-types';
import type { RolloutSpec } from '../../model/spec';
import { cancelRolloutUpdate } from '../../workflows/messages';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';
import { waitUntil } from '../support/wait';

const CORP = 'corp.contoso.com';
const DN = 'DC=corp,DC=contoso,DC=com';
const OTHER_TENANT = '0b7c5d3e-1f2a-4b6c-8d9e-aabbccddeeff';

function variant(change: (spec: RolloutSpec) => void = () => undefined): RolloutSpec {
  const spec = readLabDefaultSpec();
  spec.name = `lab-${randomUUID().slice(0, 8)}`;
  spec.options.replicationPollInterval = '1s';
  delete spec.rings[1].approval;
  change(spec);
  return spec;
}

type AdObjects = NonNullable<NonNullable<LabEstate['forests'][number]['domains'][number]['kerberosServer']['ad']>['objects']>;

/** corp.contoso.com with an object written long ago; `cloud` false = this tenant has no KerberosDomain for it. */
function seedCorp(estate: LabEstate, objects: AdObjects, cloud: boolean): void {
  const domain = estate.forests[0].domains[0];
  const keyUpdatedOn = '2026-06-01T08:00:00.000Z';
  domain.kerberosServer.ad = {
    id: 4242,
    keyVersion: 104242,
    previousKeyVersion: null,
    keyUpdatedOn,
    keyUpdatedFrom: 'dc01.corp.contoso.com',
    userAccount: `CN=krbtgt_AzureAD,CN=Users,${DN}`,
    computerAccount: `CN=AzureADKerberos,OU=Domain Controllers,${DN}`,
    objects,
  };
  domain.kerberosServer.cloud = cloud ? { id: 4242, keyVersion: 104242, keyUpdatedOn, domainDnsName: CORP, displayName: 'krbtgt_4242' } : null;
}

jest.setTimeout(600_000);

describe('Kerberos object health and one tenant per domain in a rollout (real Temporal, real worker, lab)', () => {
  let lab: LabWorker;
  beforeAll(async () => {
    lab = await startLabWorker({ taskQueuePrefix: 'kerberos-tenant' });
  });
  afterAll(() => lab?.stop());

  const client = () => lab.context.env.client;
  const reset = (change: (estate: LabEstate) => void = () => undefined) =>
    lab.store.update((estate) => {
      for (const domain of estate.forests.flatMap((f) => f.domains)) {
        domain.kerberosServer.ad = null;
        domain.kerberosServer.cloud = null;
        domain.kerberosServer.replicationDelaySeconds = 1;
        domain.gpos = domain.gpos.filter((g) => !g.displayName.startsWith('cloudtrust'));
      }
      estate.mutations = {};
      estate.faults = [];
      change(estate);
    });
  const corpOf = (report: RolloutReport) => report.domains.find((d) => d.domain === CORP)!;

  test('an object another tenant created is refused with the reason (nothing written); kerberosTakeOver takes it over', async () => {
    await reset((estate) => seedCorp(estate, { tenantId: OTHER_TENANT }, false));
    const refused = await (await startRollout(client(), variant(), 'apply', lab.taskQueue)).report();
    const step = corpOf(refused).steps.find((s) => s.step === 'kerberos.ensure-server')!;
    expect(step.status).toBe('failed');
    expect(step.error?.type).toBe('AccessDenied');
    expect(step.error?.message).toContain('exists in AD but this tenant has no KerberosDomain for it: another tenant created it');
    expect(Object.keys((await lab.store.read()).mutations).filter((key) => key.startsWith('kerberos'))).toEqual([]);

    const taken = await (await startRollout(client(), variant((s) => void (s.domains[0].kerberosTakeOver = true)), 'apply', lab.taskQueue)).report();
    expect(corpOf(taken).steps.map((s) => [s.step, s.status]).slice(0, 3)).toEqual([
      ['kerberos.ensure-server', 'ok'],
      ['kerberos.read-server', 'ok'],
      ['kerberos.check-health', 'ok'],
    ]);
    const estate = await lab.store.read();
    expect(estate.forests[0].domains[0].kerberosServer.ad?.objects?.tenantId).toBe(estate.tenant.id);
  });

  test('after creation a failed health rule (krbtgt_AzureAD without AES) fails the domain with a precise finding', async () => {
    await reset((estate) => seedCorp(estate, { supportedEncryptionTypes: 0x4 }, true));
    const report = await (await startRollout(client(), variant(), 'apply', lab.taskQueue)).report();
    const corp = corpOf(report);
    expect(corp.status).toBe('failed');
    const health = corp.steps.find((s) => s.step === 'kerberos.check-health')!;
    expect(health.status).toBe('failed');
    expect(health.error).toEqual({ type: 'VerificationFailed', message: `CN=krbtgt_AzureAD,CN=Users,${DN} has msDS-SupportedEncryptionTypes 0x4 without AES256_HMAC_SHA1 (0x10): Entra Kerberos uses AES-256 only` });
    expect(corp.findings).toContainEqual({ severity: 'blocker', code: 'kerberos-object-health', message: health.error!.message, target: CORP });
  });

  test('a drift check reports an unhealthy object (serviceConnectionPoint deleted) as drift, with a warning finding in the plan', async () => {
    await reset((estate) => {
      seedCorp(estate, { serviceConnectionPoint: false }, true);
      // A plan reads the object only once the management host has the module.
      if (!estate.managementHost.modules.some((m) => m.name === 'AzureADHybridAuthenticationManagement')) estate.managementHost.modules.push({ name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' });
    });
    const spec = variant((s) => {
      s.domains = [s.domains[0]];
      s.rings = [{ name: 'pilot', domains: [CORP], concurrency: 2, failureBudget: 0 }];
    });
    const drift = await (await startDriftCheck(client(), spec, lab.taskQueue)).result();
    expect(drift.verdict).toBe('drift');
    expect(drift.domains[0].changes).toContainEqual(
      `kerberos.check-health: needs repair: the serviceConnectionPoint CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,${DN} is missing: the tools find the Kerberos server objects through it`,
    );
  });

  test('a domain already rolled out to another tenant: an apply is refused unless force, a plan warns', async () => {
    await reset();
    const first = variant();
    const done = await (await startRollout(client(), first, 'apply', lab.taskQueue)).report();
    expect(corpOf(done).status).toBe('succeeded');

    const otherTenant = variant((s) => void (s.tenant.id = OTHER_TENANT));
    // Visibility (the list the check reads) follows the server's state shortly after.
    await waitUntil(() => domainsOfOtherTenants(client(), otherTenant), (conflicts) => conflicts.length > 0, { what: 'the first rollout in the visibility store' });
    const refusal = await startRollout(client(), otherTenant, 'apply', lab.taskQueue).then(() => undefined, (e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainTenantConflictError);
    expect((refusal as Error).message).toMatch(new RegExp(`^already rolled out to another tenant: corp\\.contoso\\.com \\(tenant ${first.tenant.id}, rollout cloudtrust:${first.name}, completed\\)`));

    const plan = await startRollout(client(), otherTenant, 'plan', lab.taskQueue);
    expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^already rolled out to another tenant: corp\.contoso\.com \(tenant /)]));
    await plan.handle.terminate('test over');

    const forced = await startRollout(client(), otherTenant, 'apply', lab.taskQueue, { force: true });
    expect(forced.started).toBe(true);
    expect(forced.warnings.length).toBeGreaterThan(0);
    await waitUntil(() => rolloutProgress(client(), forced.workflowId), (r) => r.state !== 'preflight');
    await forced.handle.executeUpdate(cancelRolloutUpdate, { args: [{ by: 'tester', reason: 'test over' }] }).catch(() => undefined);
    await forced.handle.terminate('test over').catch(() => undefined);
  });
});
