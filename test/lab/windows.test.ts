import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { powershellDir } from '../../activities/bridge/paths';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { defineStep, type StepContract } from '../../activities/steps/contract';
import { credentialSchema } from '../../activities/steps/credential';
import { domainInventoryStep } from '../../activities/steps/domain-inventory';
import { clientsSampleStep } from '../../activities/steps/intune';
import { bridgeFailure } from '../support/bridge-failure';
import { labEstateFile } from '../steps/lab-estate';
import { editedStep } from '../support/edited-script';
import { labPool } from '../transport/pool-fixture';

/**
 * The windows family of the lab: Invoke-Command's connection rules and what crosses a connection, and the remote
 * computers' registry, event log and dsregcmd, exercised by small probe scripts and by the real scripts (one edit
 * each for the strictness checks), all run by the dispatcher against the lab.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A script in the temp dir, registered under a test id with the given contract. */
function scriptStep<I extends z.ZodType, O extends z.ZodType>(id: string, text: string, input: I, output: O, credentialFields?: string[]): StepContract<I, O> {
  const file = path.join(dir, `${id}.ps1`);
  writeFileSync(file, text);
  return defineStep({ id, script: path.relative(powershellDir(), file), description: id, input, output, credentialFields, timeoutMs: 60_000 });
}

const edited = <C extends StepContract>(id: string, source: C, find: string, replace: string): C => editedStep(dir, id, source, find, replace);

/** The script line a failure's ScriptStackTrace points at first ("at <ScriptBlock>, <file>: line N"). */
function sourceLine(step: StepContract, stackTrace: string | null | undefined): string {
  const line = /: line (\d+)/.exec(stackTrace ?? '');
  expect(line).not.toBeNull();
  return readFileSync(path.join(powershellDir(), step.script), 'utf8').split('\n')[Number(line![1]) - 1];
}

const remotingProbe = scriptStep(
  'test.remoting-probe',
  String.raw`[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string[]]$ComputerName,
    [int]$ThrottleLimit = 32,
    [System.Management.Automation.PSCredential]$Credential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$callerOnly = 'visible to the caller only'
$remote = @{}
if ($null -ne $Credential) { $remote['Credential'] = $Credential }
$failures = $null
$answers = @(Invoke-Command -ComputerName $ComputerName -ThrottleLimit $ThrottleLimit -ArgumentList 'passed', 7 -ErrorAction SilentlyContinue -ErrorVariable failures @remote -ScriptBlock {
    param($Text, $Number)
    [pscustomobject]@{
        Text               = $Text
        NumberType         = $Number.GetType().FullName
        SeesCallerVariable = $null -ne (Get-Variable -Name 'callerOnly' -ErrorAction SilentlyContinue)
        Lines              = [string[]]@('a', 'b')
    }
    'a string'
})
$strings = @($answers | Where-Object -FilterScript { $_ -is [string] })
$objects = @($answers | Where-Object -FilterScript { $_ -isnot [string] })
@{
    Changed = $false
    Result  = [ordered]@{
        objects  = [object[]]@($objects | ForEach-Object -Process {
                [ordered]@{
                    computer           = [string]$_.PSComputerName
                    runspaceId         = [string]$_.RunspaceId
                    showComputerName   = [bool]$_.PSShowComputerName
                    typeNames          = [string[]]@($_.PSObject.TypeNames)
                    text               = [string]$_.Text
                    numberType         = [string]$_.NumberType
                    seesCallerVariable = [bool]$_.SeesCallerVariable
                    linesType          = $_.Lines.GetType().FullName
                }
            })
        strings  = [object[]]@($strings | ForEach-Object -Process { [ordered]@{ computer = [string]$_.PSComputerName; value = [string]$_ } })
        failures = [object[]]@(@($failures) | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process {
                $details = $null
                if ($null -ne $_.ErrorDetails) { $details = $_.ErrorDetails.Message }
                $origin = $null
                if ($null -ne $_.PSObject.Properties['OriginInfo'] -and $null -ne $_.OriginInfo) { $origin = [string]$_.OriginInfo.PSComputerName }
                [ordered]@{
                    fullyQualifiedErrorId = $_.FullyQualifiedErrorId
                    category              = $_.CategoryInfo.Category.ToString()
                    exceptionType         = $_.Exception.GetType().FullName
                    message               = $_.Exception.Message
                    targetObject          = [string]$_.TargetObject
                    details               = $details
                    origin                = $origin
                }
            })
    }
}
`,
  z.object({ computerName: z.array(z.string()), throttleLimit: z.number().int().optional(), credential: credentialSchema.optional() }),
  z.object({
    objects: z.array(
      z.object({
        computer: z.string(),
        runspaceId: z.string(),
        showComputerName: z.boolean(),
        typeNames: z.array(z.string()),
        text: z.string(),
        numberType: z.string(),
        seesCallerVariable: z.boolean(),
        linesType: z.string(),
      }),
    ),
    strings: z.array(z.object({ computer: z.string(), value: z.string() })),
    failures: z.array(
      z.object({
        fullyQualifiedErrorId: z.string(),
        category: z.string(),
        exceptionType: z.string(),
        message: z.string(),
        targetObject: z.string(),
        details: z.string().nullable(),
        origin: z.string().nullable(),
      }),
    ),
  }),
  ['credential'],
);

const hostProbe = scriptStep(
  'test.host-probe',
  String.raw`[CmdletBinding()]
param([Parameter(Mandatory = $true)][string]$ComputerName)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$answer = Invoke-Command -ComputerName $ComputerName -ScriptBlock {
    $ErrorActionPreference = 'Stop'
    $key = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $version = Get-ItemProperty -Path $key
    $policy = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\Parameters'
    $policyValue = $null
    $policyError = $null
    try { $policyValue = (Get-ItemProperty -Path $policy).SupportedEncryptionTypes }
    catch { $policyError = [ordered]@{ fqid = $_.FullyQualifiedErrorId; type = $_.Exception.GetType().FullName; message = $_.Exception.Message } }
    $valueError = $null
    try { $null = Get-ItemProperty -Path $key -Name 'NoSuchValue' }
    catch { $valueError = [ordered]@{ type = $_.Exception.GetType().FullName; message = $_.Exception.Message } }
    $strictError = $null
    try { & { Set-StrictMode -Version Latest; $null = $version.BuildNumber } }
    catch { $strictError = $_.Exception.Message }
    $eventsError = $null
    try { $null = Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-User Device Registration/Admin'; Id = 358 } -MaxEvents 1 }
    catch { $eventsError = [ordered]@{ fqid = $_.FullyQualifiedErrorId; message = $_.Exception.Message } }
    [pscustomobject]@{
        CurrentBuild     = $version.CurrentBuild
        CurrentBuildType = $version.CurrentBuild.GetType().FullName
        UBR              = $version.UBR
        UbrType          = $version.UBR.GetType().FullName
        ProductName      = $version.ProductName
        Names            = [string[]]@($version.PSObject.Properties | ForEach-Object -Process { $_.Name })
        PSPath           = $version.PSPath
        PSParentPath     = $version.PSParentPath
        PSChildName      = $version.PSChildName
        Drive            = $version.PSDrive.Name
        Provider         = $version.PSProvider.Name
        PolicyExists     = Test-Path -Path $policy
        PolicyValue      = $policyValue
        PolicyError      = $policyError
        ValueError       = $valueError
        StrictError      = $strictError
        EventsError      = $eventsError
        Dsregcmd         = [string[]]@(& (Join-Path -Path $env:SystemRoot -ChildPath 'System32\dsregcmd.exe') '/status')
    }
}
@{
    Changed = $false
    Result  = [ordered]@{
        currentBuild     = $answer.CurrentBuild
        currentBuildType = $answer.CurrentBuildType
        ubr              = $answer.UBR
        ubrType          = $answer.UbrType
        productName      = $answer.ProductName
        names            = [string[]]@($answer.Names)
        psPath           = $answer.PSPath
        psParentPath     = $answer.PSParentPath
        psChildName      = $answer.PSChildName
        drive            = $answer.Drive
        provider         = $answer.Provider
        policyExists     = $answer.PolicyExists
        policyValue      = $answer.PolicyValue
        policyError      = $answer.PolicyError
        valueError       = $answer.ValueError
        strictError      = $answer.StrictError
        eventsError      = $answer.EventsError
        dsregcmd         = [string[]]@($answer.Dsregcmd)
    }
}
`,
  z.object({ computerName: z.string() }),
  z.object({
    currentBuild: z.string(),
    currentBuildType: z.string(),
    ubr: z.number(),
    ubrType: z.string(),
    productName: z.string(),
    names: z.array(z.string()),
    psPath: z.string(),
    psParentPath: z.string(),
    psChildName: z.string(),
    drive: z.string(),
    provider: z.string(),
    policyExists: z.boolean(),
    policyValue: z.number().nullable(),
    policyError: z.object({ fqid: z.string(), type: z.string(), message: z.string() }).nullable(),
    valueError: z.object({ type: z.string(), message: z.string() }).nullable(),
    strictError: z.string().nullable(),
    eventsError: z.object({ fqid: z.string(), message: z.string() }).nullable(),
    dsregcmd: z.array(z.string()),
  }),
);

const wrongParameter = edited('test.clients-wrong-parameter', clientsSampleStep, '-ThrottleLimit 32', '-ThrottleLimits 32');
const wrongRemoteParameter = edited('test.clients-wrong-remote-parameter', clientsSampleStep, '-MaxEvents $EventCount', '-MaximumEvents $EventCount');
const wrongProperty = edited('test.clients-wrong-property', clientsSampleStep, '([string]$answer.PSComputerName)', '([string]$answer.ComputerName)');

const CORP_DCS = { unreachable: 'dc01.corp.contoso.com', withPolicy: 'dc02.corp.contoso.com', withoutPolicy: 'dc03.corp.contoso.com' };
const SLOW = ['emea-dc01.emea.corp.contoso.com', 'emea-dc02.emea.corp.contoso.com'];
const adAdmin = { userName: 'ad-admin@corp.contoso.com', password: 'lab-AD-Adm1n' };

describe('the windows family of the lab (remoting, registry, event log, dsregcmd)', () => {
  let pool: PowerShellPool;
  let lab: ReturnType<typeof labEstateFile>;

  beforeAll(async () => {
    lab = labEstateFile('default', (estate) => {
      const corp = estate.forests[0].domains[0];
      corp.controllers.find((c) => c.hostName === CORP_DCS.unreachable)!.reachable = false;
      corp.controllers.find((c) => c.hostName === CORP_DCS.withPolicy)!.supportedEncryptionTypes = 24;
      // Each connection to the EMEA DCs takes 600 ms more: parallel connections overlap, throttled ones queue.
      estate.faults = SLOW.map((target) => ({ command: 'Invoke-Command', target, mode: 'latency' as const, latencyMs: 600 }));
    });
    pool = labPool(1, lab.env, [remotingProbe, hostProbe, wrongParameter, wrongRemoteParameter, wrongProperty, domainInventoryStep, clientsSampleStep]);
    await pool.warm();
  }, 90_000);
  afterAll(() => pool?.close());

  test('a remote script block sees only its arguments, and its output comes back deserialized with PSComputerName', async () => {
    const out = await runStep(pool, remotingProbe, { computerName: [CORP_DCS.withPolicy, 'WS-CORP-001'] });
    expect(out.result.failures).toEqual([]);
    const objects = [...out.result.objects].sort((a, b) => a.computer.localeCompare(b.computer));
    expect(objects.map((o) => o.computer)).toEqual([CORP_DCS.withPolicy, 'WS-CORP-001']);
    for (const o of objects) {
      expect(o).toMatchObject({
        showComputerName: true,
        typeNames: ['Deserialized.System.Management.Automation.PSCustomObject', 'Deserialized.System.Object'],
        text: 'passed',
        numberType: 'System.Int32',
        seesCallerVariable: false,
        linesType: 'System.Collections.ArrayList',
      });
      expect(o.runspaceId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(objects[0].runspaceId).not.toBe(objects[1].runspaceId);
    // A string written remotely carries PSComputerName too.
    expect([...out.result.strings].sort((a, b) => a.computer.localeCompare(b.computer))).toEqual([
      { computer: CORP_DCS.withPolicy, value: 'a string' },
      { computer: 'WS-CORP-001', value: 'a string' },
    ]);
  });

  test('a computer that cannot be reached gets its own non-terminating transport error; the others still run', async () => {
    const out = await runStep(pool, remotingProbe, { computerName: [CORP_DCS.unreachable, 'ghost.corp.contoso.com', '10.1.2.3', CORP_DCS.withoutPolicy] });
    expect(out.result.objects.map((o) => o.computer)).toEqual([CORP_DCS.withoutPolicy]);
    const byTarget = Object.fromEntries(out.result.failures.map((f) => [f.targetObject, f]));
    expect(byTarget[CORP_DCS.unreachable]).toEqual({
      fullyQualifiedErrorId: 'WinRMOperationTimeout,PSSessionStateBroken',
      category: 'OpenError',
      exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
      message: expect.stringMatching(/^Connecting to remote server dc01\.corp\.contoso\.com failed with the following error message : WinRM cannot complete the operation\./),
      targetObject: CORP_DCS.unreachable,
      details: expect.stringMatching(/^\[dc01\.corp\.contoso\.com\] Connecting to remote server/),
      origin: null,
    });
    expect(byTarget['ghost.corp.contoso.com']).toMatchObject({ fullyQualifiedErrorId: 'ComputerNotFound,PSSessionStateBroken', message: expect.stringContaining('Cannot find the computer ghost.corp.contoso.com') });
    expect(byTarget['10.1.2.3']).toMatchObject({ fullyQualifiedErrorId: 'ServerNotTrusted,PSSessionStateBroken', message: expect.stringContaining('TrustedHosts') });
  });

  test('a credential the computer refuses: a wrong password, and an account that is not an administrator there', async () => {
    const wrong = await runStep(pool, remotingProbe, { computerName: [CORP_DCS.withPolicy], credential: { ...adAdmin, password: 'not-the-password' } });
    expect(wrong.result.objects).toEqual([]);
    expect(wrong.result.failures).toEqual([expect.objectContaining({ fullyQualifiedErrorId: 'LogonFailure,PSSessionStateBroken', message: expect.stringContaining('The user name or password is incorrect.') })]);
    // A corp Domain Admin and forest root Enterprise Admin: administrator on every DC of the forest, not on a child domain's workstation.
    const right = await runStep(pool, remotingProbe, { computerName: [CORP_DCS.withPolicy, 'emea-dc01.emea.corp.contoso.com', 'WS-EMEA-001'], credential: adAdmin });
    expect(right.result.objects.map((o) => o.computer).sort()).toEqual([CORP_DCS.withPolicy, 'emea-dc01.emea.corp.contoso.com']);
    expect(right.result.failures).toEqual([expect.objectContaining({ fullyQualifiedErrorId: 'AccessDenied,PSSessionStateBroken', targetObject: 'WS-EMEA-001', message: expect.stringContaining('Access is denied.') })]);
  });

  test('-ThrottleLimit bounds the connections open at once', async () => {
    const parallel = await runStep(pool, remotingProbe, { computerName: SLOW });
    const serial = await runStep(pool, remotingProbe, { computerName: SLOW, throttleLimit: 1 });
    expect(parallel.result.objects).toHaveLength(2);
    expect(serial.result.objects).toHaveLength(2);
    expect(serial.durationMs).toBeGreaterThanOrEqual(1200);
    expect(parallel.durationMs).toBeLessThan(serial.durationMs - 400);
  });

  test('a DC: CurrentVersion with CurrentBuild a string and UBR an Int32, the provider properties, the Kerberos policy key when configured', async () => {
    const out = await runStep(pool, hostProbe, { computerName: CORP_DCS.withPolicy });
    expect(out.result).toMatchObject({
      currentBuild: '20348',
      currentBuildType: 'System.String',
      ubr: 2849,
      ubrType: 'System.Int32',
      productName: 'Windows Server 2022 Datacenter',
      psPath: 'Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      psParentPath: 'Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT',
      psChildName: 'CurrentVersion',
      drive: 'HKLM',
      provider: 'Registry',
      policyExists: true,
      policyValue: 24,
      policyError: null,
      valueError: { type: 'System.Management.Automation.PSArgumentException', message: 'Property NoSuchValue does not exist at path HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion.' },
      // The key has CurrentBuildNumber, not BuildNumber: under strict mode the read fails.
      strictError: "The property 'BuildNumber' cannot be found on this object. Verify that the property exists.",
      // A DC has the log but no registration events.
      eventsError: { fqid: expect.stringMatching(/^NoMatchingEventsFound,/), message: 'No events were found that match the specified selection criteria.' },
    });
    // The values first, then the five properties the provider adds.
    expect(out.result.names.slice(-5)).toEqual(['PSPath', 'PSParentPath', 'PSChildName', 'PSDrive', 'PSProvider']);
    expect(out.result.names).toEqual(expect.arrayContaining(['CurrentBuild', 'CurrentBuildNumber', 'UBR', 'DisplayVersion', 'ProductName', 'EditionID', 'InstallationType']));
    expect(out.result.dsregcmd).toEqual(expect.arrayContaining(['             AzureAdJoined : NO', '              DomainJoined : YES', '                DomainName : CORP']));
  });

  test('a DC without the Kerberos policy: Test-Path is $false and Get-ItemProperty fails with PathNotFound', async () => {
    const out = await runStep(pool, hostProbe, { computerName: CORP_DCS.withoutPolicy });
    expect(out.result).toMatchObject({
      currentBuild: '14393',
      ubr: 7259,
      policyExists: false,
      policyValue: null,
      policyError: {
        fqid: expect.stringMatching(/^PathNotFound,/),
        type: 'System.Management.Automation.ItemNotFoundException',
        message: "Cannot find path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos\\Parameters' because it does not exist.",
      },
    });
    expect(out.result.names).not.toContain('DisplayVersion');
  });

  test('domain.read-inventory reads each DC over remoting and reports the one it cannot reach', async () => {
    const out = await runStep(pool, domainInventoryStep, { domain: 'corp.contoso.com' });
    const byHost = Object.fromEntries(out.result.controllers.map((c) => [c.hostName, c]));
    expect(byHost[CORP_DCS.unreachable]).toMatchObject({ reachable: false, currentBuild: null, ubr: null, error: expect.stringMatching(/WinRM cannot complete the operation/) });
    expect(byHost[CORP_DCS.withPolicy]).toMatchObject({ reachable: true, currentBuild: 20348, ubr: 2849, supportedEncryptionTypes: 24, error: null });
    expect(byHost[CORP_DCS.withoutPolicy]).toMatchObject({ reachable: true, currentBuild: 14393, ubr: 7259, supportedEncryptionTypes: null });
    expect((await lab.store.read()).mutations).toEqual({});
  });

  test('strict: a parameter Invoke-Command does not have fails the script, naming the parameter, at the Invoke-Command line', async () => {
    const failure = await bridgeFailure(runStep(pool, wrongParameter, { computerName: ['WS-CORP-001'] }));
    expect(failure.errors[0]).toMatchObject({
      fullyQualifiedErrorId: expect.stringMatching(/^NamedParameterNotFound,/),
      exceptionType: 'System.Management.Automation.ParameterBindingException',
      message: "A parameter cannot be found that matches parameter name 'ThrottleLimits'.",
    });
    expect(sourceLine(wrongParameter, failure.errors[0].scriptStackTrace)).toMatch(/Invoke-Command -ComputerName .* -ThrottleLimits 32/);
  });

  test('strict: a parameter Get-WinEvent does not have fails the probe on each device, naming the parameter', async () => {
    const out = await runStep(pool, wrongRemoteParameter, { computerName: ['WS-CORP-001'] });
    // The failure happened inside the remote script block: the device was reached.
    expect(out.result.devices[0]).toMatchObject({ reachable: true, error: "A parameter cannot be found that matches parameter name 'MaximumEvents'.", osBuild: null });
  });

  test('strict: reading a property the output object lacks fails under the script strict mode, naming the property', async () => {
    const failure = await bridgeFailure(runStep(pool, wrongProperty, { computerName: ['WS-CORP-001'] }));
    expect(failure.errors[0]).toMatchObject({
      fullyQualifiedErrorId: expect.stringMatching(/^PropertyNotFoundStrict,/),
      message: "The property 'ComputerName' cannot be found on this object. Verify that the property exists.",
    });
    expect(sourceLine(wrongProperty, failure.errors[0].scriptStackTrace)).toContain('$answer.ComputerName');
  });
});
