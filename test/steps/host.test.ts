import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { ensureHostModuleStep, forestInventoryStep, hostModuleStep, hostSteps } from '../../activities/steps/host';
import type { LabEstate } from '../../lab/estate/schema';
import { bridgeFailure } from '../support/bridge-failure';
import { labEstateFile } from './lab-estate';
import { labPool } from '../transport/pool-fixture';

const MODULE = 'AzureADHybridAuthenticationManagement';
const MODULE_KEY = `module:mgmt01:${MODULE}`;

/** A lab pool (PowerShell 7 against the simulated estate) that knows the host family's scripts. */
const hostPool = (env: NodeJS.ProcessEnv) => labPool(1, env, hostSteps);

describe('host steps against the lab', () => {
  let pool: PowerShellPool | undefined;
  let lab: ReturnType<typeof labEstateFile>;

  async function start(adjust: (estate: LabEstate) => void = () => undefined, sample: 'default' | 'realistic' = 'default'): Promise<PowerShellPool> {
    lab = labEstateFile(sample, adjust);
    pool = hostPool(lab.env);
    await pool.warm();
    return pool;
  }
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  describe('host.read-module', () => {
    test('reports a host without the module, NuGet or a trusted PSGallery, and no TLS 1.2 by default', async () => {
      const p = await start();
      const out = await runStep(p, hostModuleStep, {});
      expect(out.changed).toBe(false);
      expect(out.result).toEqual({
        hostName: 'mgmt01',
        // The real script reports the PowerShell it runs in: the lab's PowerShell 7 (estate.managementHost.editions is not what runs).
        powerShell: { edition: 'Core', version: expect.stringMatching(/^7\.\d+\.\d+/) },
        elevated: true,
        module: { name: MODULE, installed: false, version: null, versions: [], repository: null, minimumVersion: '2.1.1.0', meetsMinimum: false },
        nugetProvider: { installed: false, version: null },
        psGallery: { registered: true, trusted: false },
        tls: { securityProtocol: 'Ssl3, Tls', tls12Enabled: false },
        prerequisites: [
          { name: 'ActiveDirectory', installed: true, versions: ['1.0.1.0'], usedBy: expect.any(String) },
          { name: 'GroupPolicy', installed: true, versions: ['1.0.0.0'], usedBy: expect.any(String) },
          ...['Authentication', 'Identity.DirectoryManagement', 'DeviceManagement', 'Groups'].map((m) => ({ name: `Microsoft.Graph.${m}`, installed: true, versions: ['2.37.0'], usedBy: expect.any(String) })),
        ],
        winrm: { checked: false, reason: expect.stringContaining('no target computers') },
        findings: [],
      });
    });

    test('reports the highest installed version against the minimum asked for', async () => {
      const p = await start(undefined, 'realistic');
      const out = await runStep(p, hostModuleStep, { minimumVersion: '2.3.331.0' });
      expect(out.result.hostName).toBe('fab-mgmt01');
      expect(out.result.module).toMatchObject({ installed: true, version: '2.1.1.0', versions: ['2.1.1.0'], repository: 'PSGallery', meetsMinimum: false });
      expect(out.result.nugetProvider).toEqual({ installed: true, version: '2.8.5.208' });
      expect((await runStep(p, hostModuleStep, {})).result.module.meetsMinimum).toBe(true);
    });

    test('is read-only', async () => {
      const p = await start();
      await runStep(p, hostModuleStep, {});
      expect((await lab.store.read()).mutations).toEqual({});
    });

    test('a malformed minimum version is refused before anything runs', async () => {
      const p = await start();
      const error = await bridgeFailure(runStep(p, hostModuleStep, { minimumVersion: 'latest' }));
      expect(error.kind).toBe('InvalidInput');
    });
  });

  describe('host.ensure-module', () => {
    test('installs NuGet, trusts PSGallery and installs the module once; TLS 1.2 is forced by the script', async () => {
      const p = await start();
      const first = await runStep(p, ensureHostModuleStep, {});
      expect(first.changed).toBe(true);
      expect(first.result.planOnly).toBe(false);
      expect(first.result.tlsForced).toBe(true);
      expect(first.result.changes).toEqual([
        'install the NuGet package provider (>= 2.8.5.201)',
        'trust the PSGallery repository (InstallationPolicy Trusted)',
        `install ${MODULE} >= 2.1.1.0 for all users (-AllowClobber)`,
      ]);
      expect(first.result.before).toEqual({ moduleVersion: null, nugetProviderVersion: null, psGalleryRegistered: true, psGalleryTrusted: false });
      expect(first.result.after).toEqual({ moduleVersion: '2.4.71.0', nugetProviderVersion: '2.8.5.208', psGalleryRegistered: true, psGalleryTrusted: true });

      const estate = await lab.store.read();
      expect(estate.managementHost.modules).toEqual([{ name: MODULE, version: '2.4.71.0' }]);
      expect(estate.mutations).toEqual({ [MODULE_KEY]: 1, 'packageprovider:mgmt01:NuGet': 1, 'psrepository:mgmt01:PSGallery': 1 });

      const after = await runStep(p, hostModuleStep, {});
      expect(after.result.module).toMatchObject({ installed: true, version: '2.4.71.0', meetsMinimum: true });
    });

    test('a second run changes nothing', async () => {
      const p = await start();
      await runStep(p, ensureHostModuleStep, {});
      const second = await runStep(p, ensureHostModuleStep, {});
      expect(second.changed).toBe(false);
      expect(second.result.changes).toEqual([]);
      expect(second.result.before).toEqual(second.result.after);
      expect((await lab.store.read()).mutations[MODULE_KEY]).toBe(1);
    });

    test('plan mode lists the changes and leaves the host alone', async () => {
      const p = await start();
      const plan = await runStep(p, ensureHostModuleStep, { planOnly: true });
      expect(plan.changed).toBe(true);
      expect(plan.result.planOnly).toBe(true);
      expect(plan.result.changes).toHaveLength(3);
      expect(plan.result.after).toEqual(plan.result.before);
      const estate = await lab.store.read();
      expect(estate.managementHost.modules).toEqual([]);
      expect(estate.managementHost.nugetProviderVersion).toBeNull();
      expect(estate.mutations[MODULE_KEY] ?? 0).toBe(0);
      expect(estate.mutations).toEqual({});
    });

    test('a missing PSGallery registration is restored with Register-PSRepository -Default, then trusted', async () => {
      const p = await start((estate) => {
        estate.managementHost.psGalleryRegistered = false;
        estate.managementHost.nugetProviderVersion = '2.8.5.208';
      });
      const out = await runStep(p, ensureHostModuleStep, {});
      expect(out.result.changes).toEqual([
        'register the default PSGallery repository',
        'trust the PSGallery repository (InstallationPolicy Trusted)',
        `install ${MODULE} >= 2.1.1.0 for all users (-AllowClobber)`,
      ]);
      expect(out.result.after).toMatchObject({ psGalleryRegistered: true, psGalleryTrusted: true });
    });

    test('an older version is upgraded side by side when a higher minimum is asked for', async () => {
      const p = await start(undefined, 'realistic');
      expect((await runStep(p, ensureHostModuleStep, {})).result.changes).toEqual(['trust the PSGallery repository (InstallationPolicy Trusted)']);
      const upgrade = await runStep(p, ensureHostModuleStep, { minimumVersion: '2.3.331.0' });
      expect(upgrade.result.changes).toEqual([`install ${MODULE} >= 2.3.331.0 for all users (-AllowClobber), side by side with 2.1.1.0`]);
      expect(upgrade.result.after?.moduleVersion).toBe('2.4.71.0');
      const modules = (await lab.store.read()).managementHost.modules.filter((m) => m.name === MODULE).map((m) => m.version);
      expect(modules).toEqual(['2.1.1.0', '2.4.71.0']);
      expect((await lab.store.read()).mutations[`module:fab-mgmt01:${MODULE}`]).toBe(1);
    });

    test('no TLS 1.2 by default: the NuGet download still works because the script forces TLS 1.2 first', async () => {
      const p = await start((estate) => {
        estate.managementHost.tls12ByDefault = false;
        estate.managementHost.nugetProviderVersion = null;
      });
      const out = await runStep(p, ensureHostModuleStep, {});
      expect(out.result.tlsForced).toBe(true);
      expect(out.result.after?.nugetProviderVersion).toBe('2.8.5.208');
    });

    test('PSGallery unreachable: a retryable Unreachable failure naming the command; what could be done stays done', async () => {
      const p = await start((estate) => {
        estate.managementHost.psGalleryReachable = false;
        estate.managementHost.nugetProviderVersion = '2.8.5.208';
      });
      const error = await bridgeFailure(runStep(p, ensureHostModuleStep, {}));
      expect(error.kind).toBe('Unreachable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`PowerShell Gallery is unreachable from mgmt01 (Install-Module -Name ${MODULE})`);
      expect(error.message).toContain("Unable to resolve package source 'https://www.powershellgallery.com/api/v2'.");
      const estate = await lab.store.read();
      expect(estate.managementHost.psGalleryTrusted).toBe(true);
      expect(estate.mutations[MODULE_KEY] ?? 0).toBe(0);
    });

    test('PSGallery unreachable without NuGet: the provider download fails first', async () => {
      const p = await start((estate) => {
        estate.managementHost.psGalleryReachable = false;
      });
      const error = await bridgeFailure(runStep(p, ensureHostModuleStep, {}));
      expect(error.kind).toBe('Unreachable');
      expect(error.message).toContain("No match was found for the specified search criteria for the provider 'NuGet'");
      expect((await lab.store.read()).mutations).toEqual({});
    });

    test('not elevated: AccessDenied before anything changes; plan mode only warns', async () => {
      const p = await start((estate) => {
        estate.managementHost.elevated = false;
      });
      const error = await bridgeFailure(runStep(p, ensureHostModuleStep, {}));
      expect(error.kind).toBe('AccessDenied');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/elevated session \(Run as administrator\) on mgmt01/);
      expect((await lab.store.read()).mutations).toEqual({});
      const plan = await runStep(p, ensureHostModuleStep, { planOnly: true });
      expect(plan.warnings).toEqual([expect.stringMatching(/needs an elevated session/)]);
    });

    test('a minimum above anything in the gallery: NotFound with PackageManagement\'s message', async () => {
      const p = await start();
      const error = await bridgeFailure(runStep(p, ensureHostModuleStep, { minimumVersion: '9.0.0.0' }));
      expect(error.kind).toBe('NotFound');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`No match was found for the specified search criteria and module name '${MODULE}'`);
    });
  });

  describe('forest.read-inventory', () => {
    test('lists the root domain, domains, sites and global catalogs', async () => {
      const p = await start();
      const out = await runStep(p, forestInventoryStep, { forest: 'corp.contoso.com' });
      expect(out.changed).toBe(false);
      expect(out.result).toEqual({
        name: 'corp.contoso.com',
        rootDomain: 'corp.contoso.com',
        domains: ['corp.contoso.com', 'emea.corp.contoso.com'],
        sites: ['Branch-Lyon', 'HQ'],
        globalCatalogs: ['dc01.corp.contoso.com', 'dc02.corp.contoso.com', 'dc03.corp.contoso.com', 'emea-dc01.emea.corp.contoso.com', 'emea-dc02.emea.corp.contoso.com'],
      });
    });

    test('a second forest, asked through one of its DCs; a DC that is not a GC is left out', async () => {
      const p = await start(undefined, 'realistic');
      const second = await runStep(p, forestInventoryStep, { forest: 'tailspintoys.com', server: 'tst-dc02.tailspintoys.com' });
      expect(second.result).toMatchObject({ rootDomain: 'tailspintoys.com', domains: ['tailspintoys.com'], sites: ['Portland', 'Seattle'] });
      const first = await runStep(p, forestInventoryStep, { forest: 'fabrikam.com' });
      expect(first.result.domains).toEqual(['eu.fabrikam.com', 'fabrikam.com', 'na.fabrikam.com']);
      expect(first.result.globalCatalogs).not.toContain('eu-rodc01.eu.fabrikam.com');
      expect(first.result.globalCatalogs).toContain('eu-dc03.eu.fabrikam.com');
    });

    test('passes a domain credential through', async () => {
      const p = await start();
      const out = await runStep(p, forestInventoryStep, { forest: 'corp.contoso.com', domainCredential: { userName: 'ad-admin@corp.contoso.com', password: 'lab-AD-Adm1n' } });
      expect(out.result.name).toBe('corp.contoso.com');
    });

    test('an unknown forest, or a server that is down: Unreachable with Get-ADForest\'s message', async () => {
      const p = await start((estate) => {
        estate.forests[0].domains[1].controllers[0].reachable = false;
      });
      const unknown = await bridgeFailure(runStep(p, forestInventoryStep, { forest: 'nowhere.contoso.com' }));
      expect(unknown.kind).toBe('Unreachable');
      expect(unknown.retryable).toBe(true);
      expect(unknown.message).toContain('Unable to contact the server.');
      const down = await bridgeFailure(runStep(p, forestInventoryStep, { forest: 'corp.contoso.com', server: 'emea-dc01.emea.corp.contoso.com' }));
      expect(down.kind).toBe('Unreachable');
      // ADServerDownException names no target (CategoryInfo "ResourceUnavailable: (:) [Get-ADForest]").
      expect(down.errors[0]).toMatchObject({ targetObject: null, exceptionType: 'Microsoft.ActiveDirectory.Management.ADServerDownException', fullyQualifiedErrorId: 'ActiveDirectoryServer:0,Get-ADForest' });
    });
  });
});
