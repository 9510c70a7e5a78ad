import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { powershellDir } from '../../activities/bridge/paths';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { defineStep, type StepContract } from '../../activities/steps/contract';
import { ensureHostModuleStep, hostModuleStep } from '../../activities/steps/host';
import { getKerberosServerStep } from '../../activities/steps/kerberos';
import type { LabEstate } from '../../lab/estate/schema';
import { bridgeFailure } from '../support/bridge-failure';
import { editedStep } from '../support/edited-script';
import { labEstateFile } from './lab-estate';
import { labPool } from '../transport/pool-fixture';

/**
 * The AzureADHybridAuthenticationManagement, PowerShellGet and PackageManagement stand-ins are as strict as the
 * real modules (a real script copied with one edit that passes a parameter the command does not have, or reads a
 * property its objects do not have, fails naming the parameter or property at the line that calls the command)
 * and behave as documented; the management host process is the one the estate describes: its elevation, and the
 * TLS versions it offers ([Net.ServicePointManager]::SecurityProtocol, which decides whether a download can happen).
 */

const DOMAIN = 'corp.contoso.com';
const cloudAdmin = { userName: 'sync-admin@contoso.com', password: 'lab-Passw0rd-1' };
const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtrust-strict-kerberos-'));

const edited = <C extends StepContract>(id: string, step: C, from: string, to: string): C => editedStep(scratch, id, step, from, to);

/** A small script of this test, as a step: runs one -Action and answers with what it read. */
function probeStep(id: string, body: string, edition: StepContract['edition'] = 'any'): StepContract {
  const file = path.join(scratch, `${id}.ps1`);
  writeFileSync(file, `[CmdletBinding()]\nparam([string]$Action)\nSet-StrictMode -Version 2.0\n$ErrorActionPreference = 'Stop'\n$result = $null\n${body}\n@{ Changed = $false; Result = $result }\n`);
  return defineStep({ id, script: path.relative(powershellDir(), file), description: id, input: z.object({ action: z.string() }), output: z.unknown(), timeoutMs: 60_000, edition });
}

const packagesProbe = probeStep(
  'test.packages-probe',
  `switch ($Action) {
    'installed-missing' { $null = Get-InstalledModule -Name 'NoSuchModule' -ErrorAction Stop }
    'installed' { $item = @(Get-InstalledModule -Name 'AzureADHybridAuthenticationManagement')[0]; $result = [ordered]@{ version = $item.Version; repository = $item.Repository; installedLocation = $item.InstalledLocation } }
    'find' { $found = Find-Module -Name 'AzureADHybridAuthenticationManagement' -Repository 'PSGallery'; $result = [ordered]@{ version = $found.Version; hasInstalledLocation = ($null -ne $found.PSObject.Properties['InstalledLocation']) } }
    'all-users' { Install-Module -Name 'AzureADHybridAuthenticationManagement' -Scope 'AllUsers' -Repository 'PSGallery' }
    'older-without-force' { $seen = $null; Install-Module -Name 'AzureADHybridAuthenticationManagement' -MinimumVersion '2.3.331.0' -Repository 'PSGallery' -WarningVariable 'seen'; $result = @($seen | ForEach-Object -Process { [string]$_ }) }
    'unknown-provider' { $null = Get-PackageProvider -Name 'Chocolatey' }
}`,
);

const kerberosProbe = probeStep(
  'test.kerberos-probe',
  `$cloud = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'sync-admin@contoso.com', (ConvertTo-SecureString -String 'lab-Passw0rd-1' -AsPlainText -Force)
switch ($Action) {
    'interactive' { $server = Get-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'mfa-admin@contoso.com'; $result = [ordered]@{ id = [string]$server.Id; keyVersion = [string]$server.KeyVersion } }
    'create' { $null = Set-AzureADKerberosServer -Domain 'corp.contoso.com' -CloudCredential $cloud }
    'rotate-without-force' { Set-AzureADKerberosServer -Domain 'corp.contoso.com' -CloudCredential $cloud -RotateServerKey }
    'no-role' { $null = Get-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'helpdesk@contoso.com' }
}`,
  // The Kerberos module runs in Windows PowerShell 5.1 (review row 4), as its steps do.
  'desktop',
);

const unknownKerberosParameter = edited('test.kerberos-unknown-parameter', getKerberosServerStep, '$query = @{ Domain = $Domain;', '$query = @{ DomainName = $Domain;');
const missingKerberosProperty = edited(
  'test.kerberos-missing-property',
  getKerberosServerStep,
  '$server = Get-AzureADKerberosServer @query',
  '$server = Get-AzureADKerberosServer @query | Where-Object -FilterScript { $null -ne $_.KeyVersionNumber }',
);
const unknownProviderParameter = edited('test.packages-unknown-parameter', hostModuleStep, 'Get-PackageProvider -ListAvailable |', 'Get-PackageProvider -ListInstalled |');
const missingRepositoryProperty = edited(
  'test.packages-missing-property',
  hostModuleStep,
  "$gallery = @(Get-PSRepository -ErrorAction 'Stop' | Where-Object -FilterScript { $_.Name -eq 'PSGallery' })",
  "$gallery = @(Get-PSRepository -ErrorAction 'Stop' | Where-Object -FilterScript { $_.RepositoryName -eq 'PSGallery' })",
);
/** The ensure step without its first bootstrap step (TLS 1.2 for the process). */
const withoutTls12 = edited(
  'test.packages-without-tls12',
  ensureHostModuleStep,
  '[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12',
  '$null = [Net.ServicePointManager]::SecurityProtocol',
);
const steps = [unknownKerberosParameter, missingKerberosProperty, unknownProviderParameter, missingRepositoryProperty, withoutTls12, hostModuleStep, packagesProbe, kerberosProbe];

/** The line of the edited script the error's stack trace points at. */
function failingLine(step: StepContract, scriptStackTrace: string | null | undefined): string {
  const file = path.join(powershellDir(), step.script);
  const match = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line (\\d+)`).exec(scriptStackTrace ?? '');
  if (!match) throw new Error(`the stack trace does not point into ${file}: ${scriptStackTrace}`);
  return readFileSync(file, 'utf8').split('\n')[Number(match[1]) - 1];
}

function estateWith(host: Partial<LabEstate['managementHost']>) {
  return (estate: LabEstate) => {
    estate.tenant.admins.push(
      { userPrincipalName: cloudAdmin.userName, password: cloudAdmin.password, mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'], adGroups: [] },
      { userPrincipalName: 'mfa-admin@contoso.com', password: 'lab-Passw0rd-2', mfaEnforced: true, entraRoles: ['Global Administrator'], adGroups: [] },
      { userPrincipalName: 'helpdesk@contoso.com', password: 'lab-Passw0rd-3', mfaEnforced: true, entraRoles: [], adGroups: [] },
    );
    estate.managementHost = { ...estate.managementHost, modules: [{ name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' }], ...host };
  };
}

async function labPoolFor(host: Partial<LabEstate['managementHost']>) {
  const lab = labEstateFile('default', estateWith(host));
  const pool = labPool(1, lab.env, steps);
  await pool.warm();
  return { lab, pool };
}

describe('the Kerberos and package stand-ins refuse what the real modules refuse', () => {
  let pool: PowerShellPool;
  beforeAll(async () => ({ pool } = await labPoolFor({ elevated: false })), 90_000);
  afterAll(() => pool?.close());

  test('Get-AzureADKerberosServer has -Domain, not -DomainName: binding fails naming both', async () => {
    const error = await bridgeFailure(runStep(pool, unknownKerberosParameter, { domain: DOMAIN, cloudCredential: cloudAdmin }));
    expect(error.kind).toBe('InvalidInput');
    // As on Windows, a binding failure's id names the caller (the script); the failing line names the command.
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound,/);
    expect(error.message).toContain("A parameter cannot be found that matches parameter name 'DomainName'.");
    expect(failingLine(unknownKerberosParameter, error.errors[0].scriptStackTrace)).toContain('Get-AzureADKerberosServer @query');
  });

  test('the Kerberos server object has KeyVersion, not KeyVersionNumber: reading it fails under strict mode on the Get line', async () => {
    const error = await bridgeFailure(runStep(pool, missingKerberosProperty, { domain: DOMAIN, cloudCredential: cloudAdmin }));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^PropertyNotFoundStrict\b/);
    expect(error.message).toContain("The property 'KeyVersionNumber' cannot be found on this object.");
    expect(failingLine(missingKerberosProperty, error.errors[0].scriptStackTrace)).toContain('Get-AzureADKerberosServer @query');
  });

  test('Get-PackageProvider has -ListAvailable, not -ListInstalled', async () => {
    const error = await bridgeFailure(runStep(pool, unknownProviderParameter, {}));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound,/);
    expect(error.message).toContain("A parameter cannot be found that matches parameter name 'ListInstalled'.");
    expect(failingLine(unknownProviderParameter, error.errors[0].scriptStackTrace)).toContain('Get-PackageProvider -ListInstalled');
  });

  test('a PSRepository has Name, not RepositoryName', async () => {
    const error = await bridgeFailure(runStep(pool, missingRepositoryProperty, {}));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^PropertyNotFoundStrict\b/);
    expect(error.message).toContain("The property 'RepositoryName' cannot be found on this object.");
    expect(failingLine(missingRepositoryProperty, error.errors[0].scriptStackTrace)).toContain("Get-PSRepository -ErrorAction 'Stop' |");
  });

  test('the process token answers from the estate: WindowsPrincipal.IsInRole(Administrator) is false on a host that is not elevated', async () => {
    const out = await runStep(pool, hostModuleStep, {});
    expect(out.result).toMatchObject({ hostName: 'mgmt01', elevated: false, tls: { securityProtocol: 'Ssl3, Tls', tls12Enabled: false } });
  });
});

describe('downloads depend on the TLS versions the calling process offers', () => {
  test('a host without TLS 1.2 by default: without the script\'s TLS 1.2 step the NuGet bootstrap cannot download', async () => {
    const { lab, pool } = await labPoolFor({ tls12ByDefault: false });
    try {
      const error = await bridgeFailure(runStep(pool, withoutTls12, {}));
      expect(error.kind).toBe('Unreachable');
      expect(error.message).toContain("Unable to download from URI 'https://go.microsoft.com/fwlink/?LinkID=627338&clcid=0x409' to ''.");
      expect(error.message).toContain("No match was found for the specified search criteria for the provider 'NuGet'");
      expect((await lab.store.read()).mutations).toEqual({});
    } finally {
      await pool.close();
    }
  }, 120_000);

  test('a host that offers TLS 1.2 by default installs NuGet without it', async () => {
    const { lab, pool } = await labPoolFor({ tls12ByDefault: true });
    try {
      const before = await runStep(pool, hostModuleStep, {});
      expect(before.result.tls).toEqual({ securityProtocol: 'Tls, Tls11, Tls12', tls12Enabled: true });
      const out = await runStep(pool, withoutTls12, {});
      expect(out.result.after?.nugetProviderVersion).toBe('2.8.5.208');
      expect((await lab.store.read()).mutations['packageprovider:mgmt01:NuGet']).toBe(1);
    } finally {
      await pool.close();
    }
  }, 120_000);
});

describe('PowerShellGet, PackageManagement and the Kerberos module as documented', () => {
  let pool: PowerShellPool;
  let lab: ReturnType<typeof labEstateFile>;
  beforeAll(async () => ({ lab, pool } = await labPoolFor({ elevated: false, tls12ByDefault: true, nugetProviderVersion: '2.8.5.208', psGalleryTrusted: true, modules: [{ name: 'AzureADHybridAuthenticationManagement', version: '2.1.1.0' }] })), 90_000);
  afterAll(() => pool?.close());
  const probe = (step: StepContract, action: string) => runStep(pool, step, { action });

  test('Get-InstalledModule knows what Install-Module installed, with where it went; a name it does not know is its NoMatchFound error', async () => {
    expect((await probe(packagesProbe, 'installed')).result).toEqual({
      version: '2.1.1.0',
      repository: 'PSGallery',
      installedLocation: 'C:\\Program Files\\WindowsPowerShell\\Modules\\AzureADHybridAuthenticationManagement\\2.1.1.0',
    });
    const error = await bridgeFailure(probe(packagesProbe, 'installed-missing'));
    expect(error.errors[0]).toMatchObject({ fullyQualifiedErrorId: 'NoMatchFound,Get-InstalledModule', category: 'ObjectNotFound', message: "No match was found for the specified search criteria and module names 'NoSuchModule'." });
  });

  test('Find-Module answers the gallery\'s version, without InstalledLocation', async () => {
    expect((await probe(packagesProbe, 'find')).result).toEqual({ version: '2.4.71.0', hasInstalledLocation: false });
  });

  test('Install-Module -Scope AllUsers from a session that is not elevated is refused before anything happens', async () => {
    const error = await bridgeFailure(probe(packagesProbe, 'all-users'));
    expect(error.kind).toBe('InvalidInput');
    expect(error.errors[0].fullyQualifiedErrorId).toBe('InstallModuleAdminPrivilegeRequiredForAllUsersScope,Install-Module');
    expect(error.message).toContain("Administrator rights are required to install modules in 'C:\\Program Files\\WindowsPowerShell\\Modules'.");
  });

  test('Install-Module without -Force only warns when an older version is installed', async () => {
    const out = await probe(packagesProbe, 'older-without-force');
    expect(out.result).toEqual([
      "Version '2.1.1.0' of module 'AzureADHybridAuthenticationManagement' is already installed at 'C:\\Program Files\\WindowsPowerShell\\Modules\\AzureADHybridAuthenticationManagement\\2.1.1.0'. To install version '2.4.71.0', run Install-Module and add the -Force parameter, this command will install version '2.4.71.0' side-by-side with version '2.1.1.0'.",
    ]);
    expect((await lab.store.read()).mutations).toEqual({});
  });

  test('Get-PackageProvider -Name of a provider that is not loaded', async () => {
    const error = await bridgeFailure(probe(packagesProbe, 'unknown-provider'));
    expect(error.errors[0]).toMatchObject({ fullyQualifiedErrorId: 'UnknownProviderFromActivatedList,Get-PackageProvider', message: "Unable to find package provider 'Chocolatey'. It may not be imported yet. Try 'Get-PackageProvider -ListAvailable'." });
  });

  test('-UserPrincipalName is the interactive sign-in: an MFA-protected admin completes it; an account without an Entra admin role is refused', async () => {
    expect((await probe(kerberosProbe, 'interactive')).result).toEqual({ id: '', keyVersion: '' });
    const error = await bridgeFailure(probe(kerberosProbe, 'no-role'));
    expect(error.errors[0].fullyQualifiedErrorId).toBe('System.InvalidOperationException,Get-AzureADKerberosServer');
    expect(error.message).toContain('Response status code does not indicate success: 403 (Forbidden).');
  });

  test('a second key rotation within 24 hours without -Force asks for confirmation, which a non-interactive session cannot give', async () => {
    await probe(kerberosProbe, 'create');
    const error = await bridgeFailure(probe(kerberosProbe, 'rotate-without-force'));
    expect(error.errors[0]).toMatchObject({ exceptionType: 'System.Management.Automation.PSInvalidOperationException', message: 'Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.' });
    expect((await lab.store.read()).mutations).toEqual({ 'kerberos:corp.contoso.com': 1 });
  });
});
