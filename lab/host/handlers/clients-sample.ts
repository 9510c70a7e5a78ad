import { createHash } from 'node:crypto';
import { z } from 'zod';
import { judgeClientBuild } from '../../../model/client-assessment';
import type { LabDevice, LabEstate } from '../../estate/schema';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';
import { labCredential } from './credential';
import { HOST_NAME_PATTERN } from '../../../model/names';


const parameters = z.object({
  ComputerName: z.array(z.string().regex(HOST_NAME_PATTERN, 'does not match the host name pattern')).min(1).max(500),
  MaxEvents: z.number().int().min(1).max(100).default(20),
  Credential: labCredential.optional(),
});

const unreachableMessage = (name: string) =>
  `Connecting to remote server ${name} failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer. By default, the WinRM firewall exception for public profiles limits access to remote computers within the same local subnet. For more information, see the about_Remote_Troubleshooting Help topic.`;

const unknownMessage = (name: string) =>
  `Connecting to remote server ${name} failed with the following error message : WinRM cannot process the request. The following error occurred while using Kerberos authentication: Cannot find the computer ${name}. Verify that the computer exists on the network and that the name provided is spelled correctly. For more information, see the about_Remote_Troubleshooting Help topic.`;

function findDevice(estate: LabEstate, name: string): LabDevice | undefined {
  const wanted = name.toLowerCase();
  return estate.devices.find((d) => d.name.toLowerCase() === wanted || `${d.name}.${d.domain}`.toLowerCase() === wanted);
}

/** The User Device Registration/Admin lines of a 358 or 360 event (reference §5.2). */
function prerequisiteMessage(launched: boolean, cloudTrustLines: { policy: string; tgt: string } | null): string {
  const lines = [
    `Windows Hello for Business provisioning will ${launched ? '' : 'not '}be launched.`,
    'Device is AAD joined ( AADJ or DJ++ ): Yes',
    'User has logged on with AAD credentials: Yes',
    'Windows Hello for Business policy is enabled: Yes',
    'Windows Hello for Business post-logon provisioning is enabled: Yes',
    'Local computer meets Windows hello for business hardware requirements: Yes',
    'User is not connected to the machine via Remote Desktop: Yes',
    'User certificate for on premise auth policy is enabled: No',
    'Enterprise user logon certificate enrollment endpoint is ready: Not Tested',
    'Enterprise user logon certificate template is : Not Tested',
    'User has successfully authenticated to the enterprise STS: Not Tested',
    ...(cloudTrustLines ? [`Cloud trust for on premise auth policy is enabled: ${cloudTrustLines.policy}`, `User account has Cloud TGT: ${cloudTrustLines.tgt}`] : []),
    'Machine is governed by none policy.',
    'See https://go.microsoft.com/fwlink/?linkid=832647 for more details.',
  ];
  return lines.join('\n');
}

function keyId(device: LabDevice): string {
  const hex = createHash('sha256').update(`ngc:${device.name}`).digest('hex');
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`.toUpperCase();
}

const minutesBefore = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

/** dsregcmd fields and events a device of this outcome shows (events newest first, as Get-WinEvent returns them). */
function sampleDevice(device: LabDevice, tenantId: string, now: Date) {
  const buildEligible = judgeClientBuild(device.osBuild).eligible === true;
  const registered = { id: 300, timeCreated: minutesBefore(now, 118), level: 4, message: `The NGC key was successfully registered. Key ID: ${keyId(device)}. UPN: user@${device.domain}.` };
  const base = {
    reachable: true,
    error: null,
    osBuild: device.osBuild,
    azureAdJoined: true,
    domainJoined: true,
    tenantId,
    azureAdPrt: true,
    cloudTgt: true as boolean | null,
  };
  switch (device.outcome) {
    case 'cloud-trust':
      return {
        ...base,
        ngcSet: true,
        onPremTgt: true,
        certEnrollment: null,
        ngcPolicyEnabled: null,
        preReqResult: null,
        prerequisiteOnPremTgt: null,
        events: [registered, { id: 358, timeCreated: minutesBefore(now, 120), level: 4, message: prerequisiteMessage(true, { policy: 'Yes', tgt: 'Yes' }) }],
      };
    case 'key-trust':
      // The cloud-trust policy was not in effect when the container was created.
      return {
        ...base,
        ngcSet: true,
        onPremTgt: false,
        certEnrollment: 'none',
        ngcPolicyEnabled: true,
        preReqResult: 'WillProvision',
        prerequisiteOnPremTgt: false,
        events: [registered, { id: 358, timeCreated: minutesBefore(now, 120), level: 4, message: prerequisiteMessage(true, { policy: 'No', tgt: 'Not Tested' }) }],
      };
    case 'not-provisioned':
      // Policy in effect, but the user got no cloud TGT (no writable DC in line of sight at sign-in).
      return {
        ...base,
        ngcSet: false,
        onPremTgt: false,
        certEnrollment: 'none',
        ngcPolicyEnabled: true,
        preReqResult: 'WillNotProvision',
        prerequisiteOnPremTgt: false,
        events: [{ id: 360, timeCreated: minutesBefore(now, 30), level: 3, message: prerequisiteMessage(false, { policy: 'Yes', tgt: 'No' }) }],
      };
    case 'not-eligible':
      // An old build knows nothing of cloud trust; an eligible build that is not eligible is not Entra joined.
      return {
        ...base,
        azureAdJoined: buildEligible ? false : true,
        tenantId: buildEligible ? null : tenantId,
        azureAdPrt: buildEligible ? false : true,
        cloudTgt: buildEligible ? false : null,
        ngcSet: false,
        onPremTgt: null,
        certEnrollment: 'none',
        ngcPolicyEnabled: true,
        preReqResult: 'WillNotProvision',
        prerequisiteOnPremTgt: null,
        events: [{ id: 360, timeCreated: minutesBefore(now, 30), level: 3, message: prerequisiteMessage(false, null) }],
      };
  }
}

const unreachable = (error: string) => ({
  reachable: false,
  error,
  osBuild: null,
  azureAdJoined: null,
  domainJoined: null,
  tenantId: null,
  ngcSet: null,
  onPremTgt: null,
  cloudTgt: null,
  azureAdPrt: null,
  certEnrollment: null,
  ngcPolicyEnabled: null,
  preReqResult: null,
  prerequisiteOnPremTgt: null,
  events: [],
});

/** Mirrors powershell/clients/Get-ClientWhfbState.ps1: an unreachable device is reported, never a failure. */
export const clientsSample: StepHandler = async (args, context) => {
  const p = bindParameters('clients.sample', parameters, args);
  const estate = await context.estate();
  const now = context.now();
  const seen = new Set<string>();
  const devices = [];
  for (const name of p.ComputerName) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const device = findDevice(estate, name);
    if (!device) devices.push({ name, ...unreachable(unknownMessage(name)) });
    else if (!device.reachable) devices.push({ name, ...unreachable(unreachableMessage(name)) });
    else {
      const sample = sampleDevice(device, estate.tenant.id.toLowerCase(), now);
      devices.push({ name, ...sample, events: sample.events.slice(0, p.MaxEvents) });
    }
  }
  return { changed: false, result: { devices } };
};
