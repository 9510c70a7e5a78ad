import { randomUUID } from 'node:crypto';
import { ENCRYPTED_ENCODING } from '../../worker/codec';
import { preflightDomain } from '../../workflows';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

describe('preflight workflow end to end: real Temporal server, real worker, the real scripts in the lab', () => {
  let lab: LabWorker;
  beforeAll(async () => {
    lab = await startLabWorker({
      taskQueuePrefix: 'preflight',
      adjust: (estate) => {
        // HQ keeps dc02 (2022) when dc01 falls behind; Branch-Lyon's only writable DC is dc03.
        const corp = estate.forests[0].domains[0];
        Object.assign(corp.controllers.find((dc) => dc.hostName === 'dc01.corp.contoso.com')!, { currentBuild: 17763, ubr: 900 });
      },
    });
  });
  afterAll(() => lab?.stop());

  async function runPreflight(domain: string, more: { targets?: string[]; minimumCapableDcsPerSite?: number } = {}) {
    const workflowId = `preflight/${domain}/${randomUUID()}`;
    const result = await lab.context.env.client.workflow.execute(preflightDomain, { taskQueue: lab.taskQueue, workflowId, args: [{ domain, ...more }] });
    return { result, workflowId };
  }

  test('capacity, not "every DC patched": an unpatched writable DC beside a capable one is a warning, and every DC is judged by build and UBR', async () => {
    const { result } = await runPreflight('corp.contoso.com');
    expect(result.ready).toBe(true);
    expect(result.forest).toBe('corp.contoso.com');
    expect(result.controllers.map((c) => [c.hostName, c.status, c.release])).toEqual([
      ['dc01.corp.contoso.com', 'needs-update', 'Windows Server 2019'],
      ['dc02.corp.contoso.com', 'supported', 'Windows Server 2022'],
      ['dc03.corp.contoso.com', 'supported', 'Windows Server 2016'],
    ]);
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'dc-below-minimum-build', target: 'dc01.corp.contoso.com' })]);
    expect(result.sites).toEqual([
      { site: 'Branch-Lyon', writable: 1, readOnly: 0, capableWritable: 1, required: 1, status: 'ok' },
      { site: 'HQ', writable: 2, readOnly: 0, capableWritable: 1, required: 1, status: 'ok' },
    ]);
  });

  test('a site below the minimum of capable writable DCs the spec asks for blocks the domain', async () => {
    const { result } = await runPreflight('corp.contoso.com', { minimumCapableDcsPerSite: 2 });
    expect(result.ready).toBe(false);
    expect(result.findings.filter((f) => f.severity === 'blocker').map((f) => f.target)).toEqual(['dc01.corp.contoso.com', 'Branch-Lyon', 'HQ']);
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

  test('the policy picture: a GPO above the targets that enables certificate trust makes the domain not ready; one elsewhere does not', async () => {
    const key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';
    const gpo = (id: string, displayName: string, target: string) => ({ id, displayName, status: 'AllSettingsEnabled' as const, registryValues: [{ key, valueName: 'UseCertificateForOnPremAuth', type: 'DWord' as const, value: 1 }], links: [{ target, order: 1, enabled: true, enforced: false }], permissions: [] });
    await lab.store.update((estate) => {
      const corp = estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName === 'corp.contoso.com')!;
      corp.gpos.push(gpo('bbbbbbbb-0000-4000-8000-000000000001', 'Cert trust (domain)', 'DC=corp,DC=contoso,DC=com'), gpo('bbbbbbbb-0000-4000-8000-000000000002', 'Cert trust (servers)', 'OU=Servers,DC=corp,DC=contoso,DC=com'));
    });
    try {
      const { result } = await runPreflight('corp.contoso.com', { targets: ['OU=Workstations,DC=corp,DC=contoso,DC=com'] });
      expect(result.ready).toBe(false);
      expect(result.findings.filter((f) => f.code.startsWith('policy-')).map((f) => [f.severity, f.code, f.target])).toEqual([['blocker', 'policy-certificate-trust', 'Cert trust (domain)']]);
      expect(result.policySources!.settings.find((s) => s.setting === 'UseCertificateForOnPremAuth')!.entries.map((e) => e.source)).toEqual(['GPO Cert trust (domain)']);
      expect(result.policySources!.sources.find((s) => s.name === 'Cert trust (servers)')!.reach).toBe('none');
      expect(result.policySources!.read.intune.status).toBe('not-read');
    } finally {
      await lab.store.update((estate) => {
        for (const domain of estate.forests.flatMap((f) => f.domains)) domain.gpos = domain.gpos.filter((g) => !g.displayName.startsWith('Cert trust'));
      });
    }
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
