import { readFileSync } from 'node:fs';
import path from 'node:path';
import { classifyStepErrors } from '../../activities/bridge/errors';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import {
  GPO_NAME_PATTERN,
  GROUP_NAME_PATTERN,
  LINK_TARGET_PATTERN,
  gpoEnsureFilteringStep,
  gpoEnsureLinksStep,
  gpoEnsurePolicyStep,
  gpoRollbackStep,
  gpoScanPassportStep,
  gpoSteps,
} from '../../activities/steps/gpo';
import type { LabDomain, LabEstate } from '../../lab/estate/schema';
import { prepareLabSession } from '../../lab/runtime';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';
import { labEstateFile } from './lab-estate';

const DOMAIN = 'fabrikam.com';
const GPO = 'WHfB Cloud Kerberos Trust';
const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';
const WORKSTATIONS = 'OU=Workstations,OU=Paris,DC=fabrikam,DC=com';
const PARIS = 'OU=Paris,DC=fabrikam,DC=com';
const LAPTOPS = 'OU=Laptops,OU=Paris,DC=fabrikam,DC=com';
const CERT_PILOT = 'WHfB Certificate Trust Pilot (2019)';

const fabrikam = (estate: LabEstate): LabDomain => estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName === DOMAIN)!;

/** The realistic estate plus what the gpo steps meet in the field: user-scope settings, duplicates, an empty group. */
function gpoEstate(estate: LabEstate): void {
  const domain = fabrikam(estate);
  domain.ous.push({ distinguishedName: LAPTOPS, name: 'Laptops' });
  domain.groups.push({ name: 'Empty-Devices', distinguishedName: 'CN=Empty-Devices,OU=Groups,DC=fabrikam,DC=com', scope: 'Global', members: [] });
  domain.gpos.push(
    {
      id: '5d1e7c2a-3b4f-4a6e-9c8d-7f0a1b2c3d4e',
      displayName: 'Kiosk users',
      status: 'AllSettingsEnabled',
      registryValues: [
        { key: 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork', valueName: 'UseCloudTrustForOnPremAuth', type: 'DWord', value: 1 },
        { key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\PassportForWork\\PINComplexity', valueName: 'MinimumPINLength', type: 'DWord', value: 8 },
      ],
      links: [{ target: PARIS, order: 1, enabled: false, enforced: false }],
      permissions: [],
    },
    { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', displayName: 'Twin', status: 'AllSettingsEnabled', registryValues: [], links: [], permissions: [] },
    { id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', displayName: 'twin', status: 'AllSettingsEnabled', registryValues: [], links: [], permissions: [] },
  );
  estate.faults = [];
}

describe('Group Policy channel steps against the lab', () => {
  let pool: PowerShellPool;
  let lab: ReturnType<typeof labEstateFile>;
  const start = async (adjust: (estate: LabEstate) => void = () => undefined) => {
    lab = labEstateFile('realistic', (estate) => {
      gpoEstate(estate);
      adjust(estate);
    });
    pool = labPool(1, lab.env);
    await pool.warm();
  };
  afterEach(() => pool?.close());
  const domain = async () => fabrikam(await lab.store.read());
  const mutations = async () => (await lab.store.read()).mutations;

  describe('gpo.scan-passport', () => {
    beforeEach(() => start());

    test('lists the GPOs carrying WHfB settings with their links and the conflicts the guide names', async () => {
      const out = await runStep(pool, gpoScanPassportStep, { domain: DOMAIN });
      expect(out.changed).toBe(false);
      const { result } = out;
      expect(result.scannedGpoCount).toBe(5);
      expect(result.whfbGpos.map((g) => g.displayName).sort()).toEqual(['Kiosk users', CERT_PILOT]);
      expect(result.certificateTrustGpos).toEqual([{ id: '8f4c2a19-6b3d-4e7f-a1c5-d9e0b2f47a63', displayName: CERT_PILOT }]);
      expect(result.userScopeCloudTrustGpos.map((g) => g.displayName)).toEqual(['Kiosk users']);
      const kiosk = result.gpos.find((g) => g.displayName === 'Kiosk users')!;
      expect(kiosk.links).toEqual([{ target: PARIS, enabled: false, enforced: false }]);
      expect(kiosk.values).toContainEqual({ scope: 'Computer', key: `${POLICY_KEY}\\PINComplexity`, valueName: 'MinimumPINLength', type: 'DWord', value: 8, policyState: 'Set' });
      expect(kiosk.values).toContainEqual(expect.objectContaining({ scope: 'User', valueName: 'UseCloudTrustForOnPremAuth' }));
      expect(result.gpos.find((g) => g.displayName === CERT_PILOT)).toMatchObject({ certificateTrust: true, userScopeCloudTrust: false });
      expect(await mutations()).toEqual({});
    });

    test('a domain that cannot be reached is a retryable failure', async () => {
      const error = await bridgeFailure(runStep(pool, gpoScanPassportStep, { domain: 'unknown.fabrikam.com' }));
      expect(error.kind).toBe('Unreachable');
      expect(error.retryable).toBe(true);
    });
  });

  describe('review row 17: the scan is bounded in large domains', () => {
    const MANY = 300;
    /** 300 GPOs with other registry settings, and three with WHfB settings that only the report's ADMX names or key path show. */
    const large = (estate: LabEstate) => {
      const gpos = fabrikam(estate).gpos;
      for (let i = 0; i < MANY; i += 1) {
        const id = `7e000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        gpos.push({ id, displayName: `Branch policy ${i}`, status: 'AllSettingsEnabled', registryValues: i % 2 === 0 ? [{ key: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU', valueName: 'NoAutoUpdate', type: 'DWord', value: 0 }] : [], links: [], permissions: [] });
      }
      gpos.push(
        { id: '7f000000-0000-4000-8000-000000000001', displayName: 'Hello enabled', status: 'AllSettingsEnabled', registryValues: [{ key: POLICY_KEY, valueName: 'Enabled', type: 'DWord', value: 1 }], links: [], permissions: [] },
        { id: '7f000000-0000-4000-8000-000000000002', displayName: 'PIN only', status: 'AllSettingsEnabled', registryValues: [{ key: `${POLICY_KEY}\\PINComplexity`, valueName: 'MinimumPINLength', type: 'DWord', value: 6 }], links: [], permissions: [] },
      );
      estate.latencyMs = 10;
    };

    test('review row 17: a bounded number of Group Policy reads, however many GPOs the domain holds', async () => {
      await start(large);
      const { service } = await prepareLabSession(lab.env);
      const before = { reads: service.calls.get('Get-GPRegistryValue') ?? 0, reports: service.calls.get('Get-GPOReport') ?? 0 };
      const out = await runStep(pool, gpoScanPassportStep, { domain: DOMAIN });
      const reads = (service.calls.get('Get-GPRegistryValue') ?? 0) - before.reads;
      expect(out.result.scannedGpoCount).toBe(MANY + 7);
      expect(out.result.whfbGpos.map((g) => g.displayName).sort()).toEqual(['Hello enabled', 'Kiosk users', 'PIN only', CERT_PILOT]);
      expect(out.result.certificateTrustGpos.map((g) => g.displayName)).toEqual([CERT_PILOT]);
      // Two keys (and their subkeys) per GPO that carries WHfB settings, not two reads per GPO of the domain.
      expect(reads).toBeLessThanOrEqual(4 * 4);
      expect((service.calls.get('Get-GPOReport') ?? 0) - before.reports).toBe(1);
    }, 180_000);
  });

  describe('gpo.ensure-policy', () => {
    const key = `gpo:${DOMAIN}:${GPO}`;
    const valueKey = (name: string) => `gpovalue:${DOMAIN}:${GPO}:${POLICY_KEY}\\${name}`;

    test('creates the GPO with Enabled and UseCloudTrustForOnPremAuth; a second run changes nothing', async () => {
      await start();
      const first = await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      expect(first.changed).toBe(true);
      expect(first.result.before).toBeNull();
      expect(first.result.changes).toEqual([
        `create GPO '${GPO}' in ${DOMAIN}`,
        `set ${POLICY_KEY}\\Enabled = 1 (DWord), was not set`,
        `set ${POLICY_KEY}\\UseCloudTrustForOnPremAuth = 1 (DWord), was not set`,
      ]);
      expect(first.result.after?.values.map((v) => [v.valueName, v.value])).toEqual([
        ['Enabled', 1],
        ['UseCloudTrustForOnPremAuth', 1],
      ]);
      expect((await mutations())[key]).toBe(1);

      const second = await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      expect(second.changed).toBe(false);
      expect(second.result.changes).toEqual([]);
      expect(second.result.after).toEqual(first.result.after);
      expect((await mutations())[key]).toBe(1);
      const gpo = (await domain()).gpos.find((g) => g.displayName === GPO)!;
      expect(gpo.permissions).toContainEqual({ trustee: 'Authenticated Users', trusteeType: 'Group', permission: 'GpoApply' });
    });

    test('plan mode lists the changes and leaves the estate alone', async () => {
      await start();
      const out = await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO, requireSecurityDevice: true, planOnly: true });
      expect(out.changed).toBe(true);
      expect(out.result.planOnly).toBe(true);
      expect(out.result.changes).toHaveLength(4);
      expect(out.result.changes).toContain(`set ${POLICY_KEY}\\RequireSecurityDevice = 1 (DWord), was not set`);
      expect(out.result.after).toBeNull();
      expect((await domain()).gpos.some((g) => g.displayName === GPO)).toBe(false);
      expect(await mutations()).toEqual({});
    });

    test('the GPO holds exactly the desired values: options asked for are set, options dropped are removed', async () => {
      await start();
      const pinComplexity = { minimumPinLength: 6, maximumPinLength: 12, digits: 1, specialCharacters: 2, history: 5, expiration: 90 };
      const withOptions = await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO, requireSecurityDevice: true, pinComplexity });
      const pin = withOptions.result.after!.values.filter((v) => v.key === `${POLICY_KEY}\\PINComplexity`);
      expect(Object.fromEntries(pin.map((v) => [v.valueName, v.value]))).toEqual({ MinimumPINLength: 6, MaximumPINLength: 12, Digits: 1, SpecialCharacters: 2, History: 5, Expiration: 90 });
      expect(withOptions.result.after!.values).toContainEqual(expect.objectContaining({ valueName: 'RequireSecurityDevice', value: 1 }));

      const without = await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      expect(without.result.changes).toHaveLength(7);
      expect(without.result.changes).toContain(`remove ${POLICY_KEY}\\RequireSecurityDevice = 1 (DWord): not part of the desired policy`);
      expect(without.result.after!.values.map((v) => v.valueName)).toEqual(['Enabled', 'UseCloudTrustForOnPremAuth']);
      // Each setting is its own Set-/Remove-GPRegistryValue call: set once, removed once; the GPO was created once.
      const counts = await mutations();
      expect([counts[key], counts[valueKey('RequireSecurityDevice')], counts[valueKey('PINComplexity\\Digits')], counts[valueKey('Enabled')]]).toEqual([1, 2, 2, 1]);
    });

    test('UseCertificateForOnPremAuth in the GPO itself is removed, in either scope, and the removal says why', async () => {
      await start((estate) => {
        fabrikam(estate).gpos.push({
          id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
          displayName: GPO,
          status: 'ComputerSettingsDisabled',
          registryValues: [
            { key: POLICY_KEY, valueName: 'Enabled', type: 'DWord', value: 1 },
            { key: POLICY_KEY, valueName: 'UseCertificateForOnPremAuth', type: 'DWord', value: 1 },
            { key: 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork', valueName: 'UseCertificateForOnPremAuth', type: 'DWord', value: 1 },
            { key: `${POLICY_KEY}\\ExcludeSecurityDevices`, valueName: 'TPM12', type: 'DWord', value: 1 },
          ],
          links: [],
          permissions: [],
        });
      });
      const out = await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      expect(out.result.changes).toEqual([
        `set ${POLICY_KEY}\\UseCloudTrustForOnPremAuth = 1 (DWord), was not set`,
        `remove ${POLICY_KEY}\\UseCertificateForOnPremAuth = 1 (DWord): certificate trust takes precedence over cloud trust`,
        `remove HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork\\UseCertificateForOnPremAuth = 1 (DWord): certificate trust takes precedence over cloud trust`,
      ]);
      expect(out.warnings).toEqual([
        `GPO '${GPO}' also carries ${POLICY_KEY}\\ExcludeSecurityDevices\\TPM12 = 1 (DWord); left as it is`,
        `GPO '${GPO}' has status ComputerSettingsDisabled: its computer settings do not apply`,
      ]);
      expect(out.result.after!.values.some((v) => v.valueName === 'UseCertificateForOnPremAuth')).toBe(false);
    });

    test('a name two GPOs share is refused, not guessed', async () => {
      await start();
      const error = await bridgeFailure(runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: 'Twin' }));
      expect(error.kind).toBe('InvalidInput');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("2 GPOs in fabrikam.com have the display name 'Twin'");
    });

    test('PIN complexity out of range is refused before anything is sent, and by the script parameters too', async () => {
      await start();
      for (const pinComplexity of [{ history: 51 }, { minimumPinLength: 3 }, { digits: 3 }, { expiration: 731 }, { minimumPinLength: 10, maximumPinLength: 8 }]) {
        const error = await bridgeFailure(runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO, pinComplexity }));
        expect(error.kind).toBe('InvalidInput');
      }
      const direct = await pool.run('gpo.ensure-policy', { Domain: DOMAIN, GpoName: GPO, PinComplexity: { minimumPinLength: 10, maximumPinLength: 8 } }, { timeoutMs: 10_000 });
      expect(classifyStepErrors('gpo.ensure-policy', direct.envelope.errors).kind).toBe('InvalidInput');
      const outOfRange = await pool.run('gpo.ensure-policy', { Domain: DOMAIN, GpoName: GPO, PinComplexity: { history: 51 } }, { timeoutMs: 10_000 });
      expect(classifyStepErrors('gpo.ensure-policy', outOfRange.envelope.errors).kind).toBe('InvalidInput');
      expect(await mutations()).toEqual({});
    });
  });

  describe('gpo.ensure-links', () => {
    const created = () => runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
    const linkKey = (target: string) => `gpolink:${DOMAIN}:${GPO}:${target}`;

    test('links the GPO to each target and re-enables a disabled link; other links stay; a second run changes nothing', async () => {
      await start((estate) => {
        fabrikam(estate).gpos.push({
          id: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a',
          displayName: GPO,
          status: 'AllSettingsEnabled',
          registryValues: [],
          links: [
            { target: LAPTOPS, order: 1, enabled: false, enforced: true },
            { target: 'DC=fabrikam,DC=com', order: 2, enabled: false, enforced: false },
          ],
          permissions: [],
        });
      });
      const first = await runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS, LAPTOPS.toLowerCase()] });
      expect(first.result.changes).toEqual([`link GPO '${GPO}' to ${WORKSTATIONS} (enabled)`, `enable the disabled link of GPO '${GPO}' on ${LAPTOPS}`]);
      // In the order the directory search returns the targets' gPLink holders (domain head first, then the OUs).
      expect(first.result.after?.links).toEqual([
        { target: 'DC=fabrikam,DC=com', enabled: false, enforced: false },
        { target: WORKSTATIONS, enabled: true, enforced: false },
        { target: LAPTOPS, enabled: true, enforced: true },
      ]);
      const second = await runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS, LAPTOPS] });
      expect(second.changed).toBe(false);
      const counts = await mutations();
      expect([counts[linkKey(WORKSTATIONS)], counts[linkKey(LAPTOPS)], counts[linkKey('DC=fabrikam,DC=com')]]).toEqual([1, 1, undefined]);
      // New-GPLink without -Order: after the certificate-trust pilot already linked there.
      expect((await domain()).gpos.find((g) => g.displayName === GPO)!.links.find((l) => l.target === WORKSTATIONS)!.order).toBe(2);
    });

    test('plan mode lists the links, even for a GPO not created yet, and changes nothing', async () => {
      await start();
      const out = await runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS], planOnly: true });
      expect(out.result).toEqual({ planOnly: true, changes: [`link GPO '${GPO}' to ${WORKSTATIONS} (enabled)`], before: null, after: null });
      await created();
      const planned = await runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS], planOnly: true });
      expect(planned.changed).toBe(true);
      expect(planned.result.after?.links).toEqual([]);
      expect(Object.keys(await mutations()).filter((k) => !k.startsWith(`gpovalue:${DOMAIN}:${GPO}:`))).toEqual([`gpo:${DOMAIN}:${GPO}`]);
    });

    test('a target OU that does not exist is a non-retryable not-found failure, in plan mode too', async () => {
      await start();
      await created();
      for (const planOnly of [true, false]) {
        const error = await bridgeFailure(runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: ['OU=Nowhere,DC=fabrikam,DC=com'], planOnly }));
        expect(error.kind).toBe('NotFound');
        expect(error.retryable).toBe(false);
        expect(error.message).toContain("Cannot find an object with identity: 'OU=Nowhere,DC=fabrikam,DC=com'");
      }
    });

    test('a target in another domain, or not shaped like an OU, is invalid input', async () => {
      await start();
      await created();
      const elsewhere = await bridgeFailure(runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: ['OU=Workstations,DC=na,DC=fabrikam,DC=com'] }));
      expect(elsewhere.kind).toBe('InvalidInput');
      expect(elsewhere.message).toContain('is not in the domain fabrikam.com');
      const container = await bridgeFailure(runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: ['CN=Computers,DC=fabrikam,DC=com'] }));
      expect(container.kind).toBe('InvalidInput');
    });

    test('without the Link GPOs right New-GPLink is denied: non-retryable, nothing linked', async () => {
      await start((estate) => {
        estate.faults = [
          {
            command: 'New-GPLink',
            target: WORKSTATIONS,
            mode: 'permanent',
            message: 'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))',
            category: 'NotSpecified',
            errorId: 'System.UnauthorizedAccessException',
            exceptionType: 'System.UnauthorizedAccessException',
          },
        ];
      });
      await created();
      const error = await bridgeFailure(runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS] }));
      expect(error.kind).toBe('AccessDenied');
      expect(error.retryable).toBe(false);
      expect((await domain()).gpos.find((g) => g.displayName === GPO)!.links).toEqual([]);
    });

    test('linking a GPO that does not exist fails as not found; a shared name is refused', async () => {
      await start();
      expect((await bridgeFailure(runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS] }))).kind).toBe('NotFound');
      expect((await bridgeFailure(runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: 'TWIN', targets: [WORKSTATIONS] }))).kind).toBe('InvalidInput');
    });
  });

  describe('gpo.ensure-filtering', () => {
    const permKey = (trustee: string) => `gpoperm:${DOMAIN}:${GPO}:${trustee}`;
    const created = () => runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });

    test('the group gets GpoApply, Authenticated Users keep GpoRead; a second run changes nothing', async () => {
      await start();
      await created();
      const first = await runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'whfb-devices' });
      expect(first.result.changes).toEqual([
        `grant WHfB-Devices GpoApply on GPO '${GPO}' (was none)`,
        `set Authenticated Users to GpoRead on GPO '${GPO}' (was GpoApply): read only, so the policy applies to WHfB-Devices alone`,
      ]);
      const after = first.result.after!.permissions;
      expect(after).toContainEqual({ trustee: 'WHfB-Devices', trusteeType: 'Group', permission: 'GpoApply' });
      // Trustee.SidType: Authenticated Users is a well-known group (Get-GPPermission docs, Example 3).
      expect(after).toContainEqual({ trustee: 'Authenticated Users', trusteeType: 'WellKnownGroup', permission: 'GpoRead' });
      expect(after.filter((e) => e.permission === 'GpoApply').map((e) => e.trustee)).toEqual(['WHfB-Devices']);

      const second = await runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'WHfB-Devices' });
      expect(second.changed).toBe(false);
      const counts = await mutations();
      expect([counts[permKey('WHfB-Devices')], counts[permKey('Authenticated Users')]]).toEqual([1, 1]);
    });

    test('plan mode lists both permission changes and leaves the GPO alone', async () => {
      await start();
      const unborn = await runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'WHfB-Devices', planOnly: true });
      expect(unborn.result.changes).toHaveLength(2);
      expect(unborn.result.changes[1]).toContain('(was GpoApply, the default of a new GPO)');
      await created();
      const before = (await domain()).gpos.find((g) => g.displayName === GPO)!.permissions;
      const out = await runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'WHfB-Devices', planOnly: true });
      expect(out.changed).toBe(true);
      expect(out.result.after).toEqual(out.result.before);
      expect((await domain()).gpos.find((g) => g.displayName === GPO)!.permissions).toEqual(before);
      expect(Object.keys(await mutations()).filter((k) => !k.startsWith(`gpovalue:${DOMAIN}:${GPO}:`))).toEqual([`gpo:${DOMAIN}:${GPO}`]);
    });

    test('a group that does not exist is a non-retryable not-found failure', async () => {
      await start();
      await created();
      const error = await bridgeFailure(runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'No-Such-Group' }));
      expect(error.kind).toBe('NotFound');
      expect(error.message).toContain("Cannot find an object with identity: 'No-Such-Group'");
    });

    test('an empty group and another trustee that applies the GPO are reported as warnings', async () => {
      await start();
      await created();
      await runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'WHfB-Devices' });
      const file = lab.store;
      await file.update((estate) => {
        fabrikam(estate).gpos.find((g) => g.displayName === GPO)!.permissions.push({ trustee: 'Domain Computers', trusteeType: 'Group', permission: 'GpoApply' });
      });
      const out = await runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'Empty-Devices' });
      expect(out.warnings).toEqual([
        'group Empty-Devices has no members: the policy applies to no computer until computer accounts are added',
        `WHfB-Devices also holds GpoApply on GPO '${GPO}': the policy applies to it as well; left as it is`,
        `Domain Computers also holds GpoApply on GPO '${GPO}': the policy applies to it as well; left as it is`,
      ]);
    });
  });

  describe('review row 2: the order of policy, filtering and links', () => {
    const policy = () => runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
    const links = () => runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS] });
    const filtering = () => runStep(pool, gpoEnsureFilteringStep, { domain: DOMAIN, gpoName: GPO, groupName: 'No-Such-Group' });
    const ours = async () => (await domain()).gpos.find((g) => g.displayName === GPO)!;

    test('review row 2: linked before filtering, a failed filtering step leaves the GPO linked and applying to Authenticated Users', async () => {
      await start();
      await policy();
      await links();
      expect((await bridgeFailure(filtering())).kind).toBe('NotFound');
      const gpo = await ours();
      expect(gpo.links.map((l) => l.target)).toEqual([WORKSTATIONS]);
      expect(gpo.permissions).toContainEqual({ trustee: 'Authenticated Users', trusteeType: 'Group', permission: 'GpoApply' });
    });

    test('review row 2: filtered before linking, the same failure leaves a GPO that is linked nowhere', async () => {
      await start();
      await policy();
      expect((await ours()).links).toEqual([]);
      expect((await bridgeFailure(filtering())).kind).toBe('NotFound');
      expect((await ours()).links).toEqual([]);
    });
  });

  describe('review row 18: a GPO whose settings cannot be read is not a GPO without settings', () => {
    const LOCKED = 'Locked certificate trust';
    const lock = (estate: LabEstate) => {
      fabrikam(estate).gpos.push({
        id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
        displayName: LOCKED,
        status: 'AllSettingsEnabled',
        registryValues: [{ key: POLICY_KEY, valueName: 'UseCertificateForOnPremAuth', type: 'DWord', value: 1 }],
        links: [{ target: WORKSTATIONS, order: 1, enabled: true, enforced: false }],
        permissions: [],
        sysvolAccessDenied: true,
      });
    };
    const lockOurs = () =>
      lab.store.update((estate) => {
        fabrikam(estate).gpos.find((g) => g.displayName === GPO)!.sysvolAccessDenied = true;
      });

    test('review row 18: the scan fails on an unreadable GPO instead of reporting no conflict', async () => {
      await start(lock);
      const error = await bridgeFailure(runStep(pool, gpoScanPassportStep, { domain: DOMAIN }));
      expect(error.kind).toBe('AccessDenied');
      expect(error.message).toContain('2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f');
      expect(error.message).toContain('Access is denied.');
    });

    test('review row 18: ensure-policy does not plan to "set" values into a GPO it cannot read', async () => {
      await start();
      await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      await lockOurs();
      const error = await bridgeFailure(runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO, requireSecurityDevice: true, planOnly: true }));
      expect(error.kind).toBe('AccessDenied');
      expect(error.message).toMatch(/cannot be read: Access is denied/);
    });

    test('review row 18: rollback does not read an unreadable GPO as "Enabled not set"', async () => {
      await start();
      await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      await lockOurs();
      const error = await bridgeFailure(runStep(pool, gpoRollbackStep, { mode: 'disable', domain: DOMAIN, gpoName: GPO, planOnly: true }));
      expect(error.kind).toBe('AccessDenied');
    });
  });

  describe('gpo.rollback-policy', () => {
    const setUp = async () => {
      await start();
      await runStep(pool, gpoEnsurePolicyStep, { domain: DOMAIN, gpoName: GPO });
      await runStep(pool, gpoEnsureLinksStep, { domain: DOMAIN, gpoName: GPO, targets: [WORKSTATIONS, LAPTOPS] });
    };

    test('unlink removes only the named links and never the GPO; a second run changes nothing', async () => {
      await setUp();
      const first = await runStep(pool, gpoRollbackStep, { mode: 'unlink', domain: DOMAIN, gpoName: GPO, targets: [LAPTOPS, PARIS] });
      expect(first.result.changes).toEqual([`unlink GPO '${GPO}' from ${LAPTOPS}`]);
      expect(first.result.after?.links).toEqual([{ target: WORKSTATIONS, enabled: true, enforced: false }]);
      const second = await runStep(pool, gpoRollbackStep, { mode: 'unlink', domain: DOMAIN, gpoName: GPO, targets: [LAPTOPS] });
      expect(second.changed).toBe(false);
      expect((await domain()).gpos.some((g) => g.displayName === GPO)).toBe(true);
      expect((await mutations())[`gpolink:${DOMAIN}:${GPO}:${LAPTOPS}`]).toBe(2);
    });

    test('disable sets Enabled = 0 and keeps UseCloudTrustForOnPremAuth; plan mode first changes nothing', async () => {
      await setUp();
      const planned = await runStep(pool, gpoRollbackStep, { mode: 'disable', domain: DOMAIN, gpoName: GPO, planOnly: true });
      expect(planned.result.changes).toEqual([
        `set ${POLICY_KEY}\\Enabled = 0 (DWord), was 1: clients stop provisioning Windows Hello for Business; UseCloudTrustForOnPremAuth is kept`,
      ]);
      const enabledKey = `gpovalue:${DOMAIN}:${GPO}:${POLICY_KEY}\\Enabled`;
      expect((await mutations())[enabledKey]).toBe(1);
      const done = await runStep(pool, gpoRollbackStep, { mode: 'disable', domain: DOMAIN, gpoName: GPO });
      expect(done.result.after?.values.map((v) => [v.valueName, v.value])).toEqual([
        ['Enabled', 0],
        ['UseCloudTrustForOnPremAuth', 1],
      ]);
      expect(done.result.after?.links).toHaveLength(2);
      const again = await runStep(pool, gpoRollbackStep, { mode: 'disable', domain: DOMAIN, gpoName: GPO });
      expect(again.changed).toBe(false);
      expect((await mutations())[enabledKey]).toBe(2);
      expect((await mutations())[`gpo:${DOMAIN}:${GPO}`]).toBe(1);
    });

    test('a GPO that does not exist is nothing to roll back; unlink needs targets', async () => {
      await start();
      const out = await runStep(pool, gpoRollbackStep, { mode: 'disable', domain: DOMAIN, gpoName: GPO });
      expect(out).toMatchObject({ changed: false, result: { changes: [], before: null, after: null } });
      expect(out.warnings).toEqual([`GPO '${GPO}' was not found in ${DOMAIN}: nothing to roll back`]);
      const error = await bridgeFailure(runStep(pool, gpoRollbackStep, { mode: 'unlink', domain: DOMAIN, gpoName: GPO } as never));
      expect(error.kind).toBe('InvalidInput');
    });
  });
});

describe('gpo contracts and scripts agree', () => {
  const script = (file: string) => readFileSync(path.join(__dirname, '..', '..', 'powershell', file), 'utf8');

  test('every parameter pattern of the contracts is the ValidatePattern of the scripts that take it', () => {
    const uses: Array<[string, string]> = [
      [GPO_NAME_PATTERN, 'gpo/ensure-policy.ps1'],
      [GPO_NAME_PATTERN, 'gpo/ensure-links.ps1'],
      [GPO_NAME_PATTERN, 'gpo/ensure-filtering.ps1'],
      [GPO_NAME_PATTERN, 'gpo/rollback-policy.ps1'],
      [LINK_TARGET_PATTERN, 'gpo/ensure-links.ps1'],
      [LINK_TARGET_PATTERN, 'gpo/rollback-policy.ps1'],
      [GROUP_NAME_PATTERN, 'gpo/ensure-filtering.ps1'],
    ];
    for (const [pattern, file] of uses) expect(script(file)).toContain(`[ValidatePattern('${pattern}')]`);
  });

  test('every gpo step has its script', () => {
    for (const step of gpoSteps) expect(() => script(step.script)).not.toThrow();
  });
});
