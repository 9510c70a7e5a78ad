import type { CommandContext, NativeSimulation } from '../types';
import { findComputer } from './computers';
import { stableGuid, stableHex } from './stable';
import { whfbState, type WhfbState } from './whfb-state';

/**
 * dsregcmd.exe /status (catalog Windows.json native; https://learn.microsoft.com/entra/identity/devices/troubleshoot-device-dsregcmd):
 * boxed section headers 72 wide, fields right-aligned to 26 columns, " : ", the value; YES/NO in upper case;
 * sections only where they apply.
 */
const RULE = `+${'-'.repeat(70)}+`;
const yes = (value: boolean) => (value ? 'YES' : 'NO');
const field = (name: string, value: string) => `${name.padStart(26)} : ${value}`;

type Fields = Array<[string, string]>;

function section(name: string, fields: Fields, compact = false): string[] {
  const body = fields.map(([n, v]) => field(n, v));
  // The docs print Device State without blank lines, the other sections with one after the header and before the end.
  return [RULE, `| ${name.padEnd(68)} |`, RULE, ...(compact ? body : ['', ...body, '']), RULE];
}

const utc = (date: Date) => `${date.toISOString().slice(0, 19).replace('T', ' ')}.000 UTC`;

export function statusLines(state: WhfbState, now: Date): string[] {
  const lines: string[] = [];
  const device: Fields = [['AzureAdJoined', yes(state.azureAdJoined)], ['EnterpriseJoined', 'NO'], ['DomainJoined', yes(state.domainNetBios !== null)]];
  if (state.domainNetBios) device.push(['DomainName', state.domainNetBios]);
  lines.push(...section('Device State', device, true));
  if (state.azureAdJoined && state.deviceId) {
    const issued = new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 11, 21, 2, 50));
    const expires = new Date(Date.UTC(now.getUTCFullYear() + 9, 0, 11, 21, 32, 50));
    lines.push(
      ...section('Device Details', [
        ['DeviceId', state.deviceId],
        ['Thumbprint', stableHex(`device-cert:${state.deviceId}`, 40)],
        ['DeviceCertificateValidity', `[ ${utc(issued)} -- ${utc(expires)} ]`],
        ['KeyContainerId', stableGuid(`device-key:${state.deviceId}`)],
        ['KeyProvider', 'Microsoft Platform Crypto Provider'],
        ['TpmProtected', 'YES'],
        // DeviceAuthStatus exists from Windows 10 21H1 (19043) on (catalog dsregcmd fields).
        ...(state.build >= 19043 ? ([['DeviceAuthStatus', 'SUCCESS']] as Fields) : []),
      ]),
    );
  }
  if (state.tenant) lines.push(...section('Tenant Details', [['TenantName', state.tenant.name], ['TenantId', state.tenant.id], ['Idp', 'login.windows.net']]));
  const user: Fields = [['NgcSet', yes(state.ngcKeyId !== null)]];
  if (state.ngcKeyId) user.push(['NgcKeyId', state.ngcKeyId], ['CanReset', 'DestructiveAndNonDestructive']);
  user.push(['WorkplaceJoined', 'NO'], ['WamDefaultSet', yes(state.azureAdPrt)]);
  if (state.azureAdPrt) {
    user.push(['WamDefaultAuthority', 'organizations'], ['WamDefaultId', 'https://login.microsoft.com'], ['WamDefaultGUID', '{ B16898C6-A148-4967-9171-64D755DA8520 } (AzureAd)']);
  }
  lines.push(...section('User State', user));
  const sso: Fields = [['AzureAdPrt', yes(state.azureAdPrt)]];
  if (state.azureAdPrt && state.tenant) {
    const updated = new Date(now.getTime() - 2 * 3600_000);
    sso.push(
      ['AzureAdPrtUpdateTime', utc(updated)],
      ['AzureAdPrtExpiryTime', utc(new Date(updated.getTime() + 14 * 86_400_000))],
      ['AzureAdPrtAuthority', `https://login.microsoftonline.com/${state.tenant.id}`],
    );
  }
  sso.push(['EnterprisePrt', 'NO']);
  if (state.onPremTgt !== null) sso.push(['OnPremTgt', yes(state.onPremTgt)]);
  if (state.cloudTgt !== null) sso.push(['CloudTgt', yes(state.cloudTgt)]);
  if (state.cloudTgt) sso.push(['KerbTopLevelNames', '.windows.net,.windows.net:1433,.windows.net:3342,.azure.net,.azure.net:1433,.azure.net:3342']);
  lines.push(...section('SSO State', sso));
  if (state.azureAdJoined) lines.push(...section('Diagnostic Data', [['AadRecoveryEnabled', 'NO'], ['KeySignTest', 'PASSED']]));
  const p = state.prerequisite;
  if (p) {
    const check: Fields = [
      ['IsDeviceJoined', yes(p.isDeviceJoined)],
      ['IsUserAzureAD', yes(p.isUserAzureAd)],
      ['PolicyEnabled', yes(p.policyEnabled)],
      ['PostLogonEnabled', yes(p.postLogonEnabled)],
      ['DeviceEligible', yes(p.deviceEligible)],
      ['SessionIsNotRemote', yes(p.sessionIsNotRemote)],
      ['CertEnrollment', p.certEnrollment],
    ];
    if (p.cloudTgt !== null) check.push([p.cloudTgtField, yes(p.cloudTgt)]);
    check.push(['PreReqResult', p.preReqResult]);
    lines.push(...section('Ngc Prerequisite Check', check));
  }
  return lines;
}

export const dsregcmd: NativeSimulation = async (args: string[], computerId: string | null, lab: CommandContext) => {
  const options = args.map((a) => a.toLowerCase());
  if (options[0] !== '/status' || options.slice(1).some((o) => o !== '/debug')) throw new Error(`the options ${args.join(' ')} are not simulated (only /status)`);
  if (!computerId) throw new Error('running it on the management host itself is not simulated (only inside Invoke-Command -ComputerName)');
  const estate = await lab.read();
  const computer = findComputer(estate, computerId);
  if (!computer || computer.kind === 'management-host') throw new Error(`the simulated computer ${computerId} is not in the estate`);
  // Run inside Invoke-Command: the remoting account's User State and SSO State.
  return { lines: statusLines(whfbState(estate, computer, 'remoting'), lab.now()), exitCode: 0 };
};
