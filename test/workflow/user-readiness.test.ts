import { randomUUID } from 'node:crypto';
import { startRollout } from '../../client/rollouts';
import { renderHtml, renderMarkdown } from '../../model/report-render';
import type { LabEstate } from '../../lab/estate/schema';
import type { RolloutSpec } from '../../model/spec';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

const BASE = 'DC=corp,DC=contoso,DC=com';

/** Pilot users of corp.contoso.com: one ready, one privileged, one expired, one that must change its password. */
function pilotUsers(estate: LabEstate): void {
  const corp = estate.forests[0].domains.find((d) => d.dnsName === 'corp.contoso.com')!;
  corp.groups.push({ name: 'WHfB-Pilot-Users', distinguishedName: `CN=WHfB-Pilot-Users,CN=Users,${BASE}`, scope: 'Global', members: [] });
  const user = (samAccountName: string, extra: Partial<LabEstate['forests'][number]['domains'][number]['users'][number]> = {}) => ({
    samAccountName,
    memberOf: ['WHfB-Pilot-Users'],
    enabled: true,
    passwordLastSet: '2026-10-01T08:00:00Z',
    passwordExpired: false,
    passwordNeverExpires: false,
    generatedGroups: 0,
    entra: 'synced' as const,
    ...extra,
  });
  corp.users = [user('alice'), user('dana.admin', { memberOf: ['WHfB-Pilot-Users', 'Domain Admins'] }), user('erin', { passwordExpired: true }), user('frank', { passwordLastSet: null })];
}

function variant(change: (spec: RolloutSpec) => void): RolloutSpec {
  const spec = structuredClone(readLabDefaultSpec());
  spec.name = `users-${randomUUID().slice(0, 8)}`;
  spec.options.replicationPollInterval = '1s';
  spec.rings[0].userGroups = ['WHfB-Pilot-Users'];
  change(spec);
  return spec;
}

describe('rollout: user readiness per ring, before the ring changes anything', () => {
  let lab: LabWorker;
  beforeAll(async () => {
    lab = await startLabWorker({ taskQueuePrefix: 'users', adjust: pilotUsers });
  });
  afterAll(() => lab?.stop());
  const client = () => lab.context.env.client;

  test('plan: the report lists who will fail and why, against the policy the object will get', async () => {
    const started = await startRollout(client(), variant(() => undefined), 'plan', lab.taskQueue);
    const report = await started.report();
    expect(report.state).toBe('completed');
    const [readiness] = report.rings[0].readiness!;
    expect(readiness).toMatchObject({ domain: 'corp.contoso.com', totalUsers: 4, checked: 4, ready: 1, failingCount: 3, entraChecked: false });
    expect(readiness.policy).toMatchObject({ present: false, denied: ['Denied RODC Password Replication Group', 'Account Operators', 'Server Operators', 'Backup Operators', 'Administrators'] });
    expect(Object.fromEntries(readiness.failing.map((u) => [u.samAccountName, u.reasons]))).toEqual({
      'dana.admin': [expect.stringMatching(/^denied by the AzureADKerberos password replication policy \(Denied RODC Password Replication Group, Administrators\)/)],
      erin: ['the password has expired: cloud trust sign-in is blocked until it is reset'],
      frank: ['must change the password at next logon (pwdLastSet 0)'],
    });
    expect(report.rings[1].readiness).toBeUndefined();
    const corp = report.domains.find((d) => d.domain === 'corp.contoso.com')!;
    expect(corp.status).toBe('planned');
    expect(corp.findings.map((f) => [f.severity, f.code])).toEqual(expect.arrayContaining([['warning', 'users-not-ready'], ['info', 'entra-attributes-not-checked']]));
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('## User readiness');
    expect(markdown).toContain('- 1 of 4 users ready, 3 will fail; Entra attributes not checked');
    expect(markdown).toMatch(/\| dana\.admin@corp\.contoso\.com \| denied by the AzureADKerberos/);
    expect(renderHtml(report)).toContain('<h2>User readiness</h2>');
    expect((await lab.store.read()).mutations).toEqual({});
  });

  test('apply with userReadiness block: the rollout halts before the pilot ring changes anything', async () => {
    const spec = variant((s) => void (s.rings[0].userReadiness = 'block'));
    const started = await startRollout(client(), spec, 'apply', lab.taskQueue);
    const report = await started.report();
    expect(report.state).toBe('halted');
    expect(report.haltReason).toMatch(/^ring pilot: users of WHfB-Pilot-Users cannot use cloud Kerberos trust and the ring's userReadiness is block/);
    expect(report.rings.map((r) => r.status)).toEqual(['halted', 'skipped']);
    expect(report.domains.find((d) => d.domain === 'corp.contoso.com')!.findings.filter((f) => f.severity === 'blocker').map((f) => f.code)).toEqual(['users-not-ready']);
    // Only the management host's module was installed (before the rings); nothing in AD or Group Policy.
    expect(Object.keys((await lab.store.read()).mutations).filter((key) => /^(kerberos|gpo|group)/.test(key))).toEqual([]);
  });
});
