import type { LabDevice, LabEstate } from '../../../estate/schema';
import type { LabComputer } from './computers';
import { stableGuid } from './stable';

/**
 * What a computer shows of Windows Hello for Business, derived from the estate: a device's `outcome` (how WHfB
 * ended up on it) and OS build; a DC is domain joined and nothing else. One derivation feeds dsregcmd /status and
 * the User Device Registration/Admin events, so the two always agree. dsregcmd's User State and SSO State
 * describe the user who runs it: in the signed-in user's session (a scheduled task with that principal) the user
 * the estate's outcome is about; in a remoting session the remoting account (a network logon: no Primary Refresh
 * Token, no Hello container, SessionIsNotRemote NO). The events are machine-wide: the same in both.
 */
export interface WhfbState {
  /** CurrentBuild: some fields exist only from a given build on. */
  build: number;
  azureAdJoined: boolean;
  domainNetBios: string | null;
  tenant: { id: string; name: string } | null;
  deviceId: string | null;
  azureAdPrt: boolean;
  ngcKeyId: string | null;
  /** SSO State OnPremTgt / CloudTgt; null where the build does not print them. */
  onPremTgt: boolean | null;
  cloudTgt: boolean | null;
  /** The Ngc Prerequisite Check section, shown while Hello is not (properly) provisioned. */
  prerequisite: Prerequisite | null;
  events: RegistrationEvent[];
  upn: string | null;
}

export interface Prerequisite {
  isDeviceJoined: boolean;
  isUserAzureAd: boolean;
  policyEnabled: boolean;
  postLogonEnabled: boolean;
  deviceEligible: boolean;
  sessionIsNotRemote: boolean;
  /** none, or enrollment authority / mobile device management under certificate trust. */
  certEnrollment: string;
  /** OnPremTGT (CloudTGT before Windows 11 23H2); null where the build does not print it. */
  cloudTgt: boolean | null;
  /** Field name by build: OnPremTGT from 22631 (Windows 11 23H2), CloudTGT before. */
  cloudTgtField: 'OnPremTGT' | 'CloudTGT';
  preReqResult: 'WillProvision' | 'WillNotProvision';
}

/** One event of Microsoft-Windows-User Device Registration/Admin (catalog Windows.json eventLogs). */
export interface RegistrationEvent {
  id: 300 | 301 | 358 | 360 | 362;
  minutesAgo: number;
  /** Placeholder values of the catalog message template, in template order; a null drops the template line. */
  fill: Record<string, string | null>;
}

/**
 * Builds that apply UseCloudTrustForOnPremAuth (KB5010415 19044.1566, 19045, KB5010414 22000.527, 22621 and
 * later: PassportForWork CSP applicability); the lab prints the cloud-TGT fields on those builds only.
 */
export function supportsCloudTrust(build: number, ubr: number): boolean {
  if (build === 19044) return ubr >= 1566;
  if (build === 22000) return ubr >= 527;
  return build === 19045 || build >= 22621;
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** The 358/360 prerequisite lines (catalog events 358/360). */
function prerequisiteFill(p: { joined: boolean; cloudTrustPolicy: string | null; cloudTgt: string | null }): Record<string, string | null> {
  return {
    deviceJoined: yesNo(p.joined),
    aadCredentials: yesNo(p.joined),
    policyEnabled: 'Yes',
    postLogonEnabled: 'Yes',
    hardwareMet: 'Yes',
    notRemote: 'Yes',
    // EventData UserIsRemote, the negation of the message's "not connected ... via Remote Desktop" line.
    userIsRemote: 'No',
    certTrustPolicy: 'No',
    enrollmentEndpointReady: 'Not Tested',
    certTemplate: 'Not Tested',
    stsAuthenticated: 'Not Tested',
    cloudTrustPolicy: p.cloudTrustPolicy,
    cloudTgt: p.cloudTgt,
    policySource: 'none',
  };
}

function keyRegistered(device: LabDevice, keyId: string, upn: string, minutesAgo: number): RegistrationEvent {
  const serverRequestId = stableGuid(`ngc-request:${device.name}`);
  return {
    id: 300,
    minutesAgo,
    fill: {
      keyId,
      upn,
      attestation: 'ATT_SOFT',
      clientRequestId: '',
      serverRequestId,
      serverResponse: JSON.stringify({ kid: keyId.replace(/[{}]/g, '').toLowerCase(), upn }),
    },
  };
}

function deviceState(estate: LabEstate, computer: Extract<LabComputer, { kind: 'device' }>): WhfbState {
  const { device } = computer;
  const [build, ubr] = device.osBuild.split('.').map(Number);
  const capable = supportsCloudTrust(build, ubr);
  const tenant = { id: estate.tenant.id.toLowerCase(), name: estate.tenant.displayName };
  const keyId = `{${stableGuid(`ngc:${device.name}`).toUpperCase()}}`;
  const upn = `user@${device.domain}`;
  const cloudTgtField = build >= 22631 ? 'OnPremTGT' : 'CloudTGT';
  const base = {
    build,
    azureAdJoined: true,
    domainNetBios: computer.domain?.netBiosName ?? null,
    tenant,
    deviceId: stableGuid(`device:${device.name}`),
    azureAdPrt: true,
    upn,
  };
  const prerequisite = (over: Partial<Prerequisite>): Prerequisite => ({
    isDeviceJoined: true,
    isUserAzureAd: true,
    policyEnabled: true,
    postLogonEnabled: true,
    deviceEligible: true,
    sessionIsNotRemote: true,
    certEnrollment: 'none',
    cloudTgt: capable ? false : null,
    cloudTgtField,
    preReqResult: 'WillNotProvision',
    ...over,
  });
  switch (device.outcome) {
    case 'cloud-trust':
      return {
        ...base,
        ngcKeyId: keyId,
        onPremTgt: true,
        cloudTgt: true,
        prerequisite: null,
        events: [keyRegistered(device, keyId, upn, 118), { id: 358, minutesAgo: 120, fill: prerequisiteFill({ joined: true, cloudTrustPolicy: 'Yes', cloudTgt: 'Yes' }) }],
      };
    case 'key-trust':
      // The container was created while the cloud-trust policy was not in effect: key trust, no on-premises TGT.
      return {
        ...base,
        ngcKeyId: keyId,
        onPremTgt: false,
        cloudTgt: true,
        prerequisite: prerequisite({ preReqResult: 'WillProvision' }),
        events: [keyRegistered(device, keyId, upn, 118), { id: 358, minutesAgo: 120, fill: prerequisiteFill({ joined: true, cloudTrustPolicy: 'No', cloudTgt: 'Not Tested' }) }],
      };
    case 'certificate-trust':
      // UseCertificateForOnPremAuth in effect: the container holds a certificate from the enrollment authority; no on-premises TGT from Entra.
      return {
        ...base,
        ngcKeyId: keyId,
        onPremTgt: false,
        cloudTgt: true,
        prerequisite: prerequisite({ certEnrollment: 'enrollment authority', preReqResult: 'WillProvision' }),
        events: [
          keyRegistered(device, keyId, upn, 118),
          { id: 358, minutesAgo: 120, fill: { ...prerequisiteFill({ joined: true, cloudTrustPolicy: 'Yes', cloudTgt: 'Not Tested' }), certTrustPolicy: 'Yes', policySource: 'enrollment authority' } },
        ],
      };
    case 'not-provisioned':
      // Policy in effect, but the user got no cloud TGT (no writable DC in line of sight at sign-in).
      return {
        ...base,
        ngcKeyId: null,
        onPremTgt: false,
        cloudTgt: true,
        prerequisite: prerequisite({}),
        events: [{ id: 360, minutesAgo: 30, fill: prerequisiteFill({ joined: true, cloudTrustPolicy: 'Yes', cloudTgt: 'No' }) }],
      };
    case 'not-eligible':
      if (capable) {
        // A build that could use cloud trust but is not joined to Entra ID.
        return {
          ...base,
          azureAdJoined: false,
          tenant: null,
          deviceId: null,
          azureAdPrt: false,
          ngcKeyId: null,
          onPremTgt: false,
          cloudTgt: false,
          prerequisite: prerequisite({ isDeviceJoined: false, isUserAzureAd: false }),
          events: [{ id: 360, minutesAgo: 30, fill: prerequisiteFill({ joined: false, cloudTrustPolicy: 'Yes', cloudTgt: 'Not Tested' }) }],
        };
      }
      // A build too old for cloud trust knows nothing of it: no cloud-TGT fields, no cloud-trust event lines.
      return {
        ...base,
        ngcKeyId: null,
        onPremTgt: null,
        cloudTgt: null,
        prerequisite: prerequisite({}),
        events: [{ id: 360, minutesAgo: 30, fill: prerequisiteFill({ joined: true, cloudTrustPolicy: null, cloudTgt: null }) }],
      };
  }
}

/** Who runs dsregcmd: the signed-in user (interactive session) or the account of a remoting session. */
export type DsregcmdSession = 'signed-in-user' | 'remoting';

/** What the remoting account sees of itself: a network logon with no PRT, no Hello container and a remote session. */
function asRemotingAccount(state: WhfbState): WhfbState {
  const capable = state.onPremTgt !== null;
  const prerequisite: Prerequisite = {
    isDeviceJoined: state.azureAdJoined,
    isUserAzureAd: false,
    policyEnabled: state.prerequisite?.policyEnabled ?? true,
    postLogonEnabled: state.prerequisite?.postLogonEnabled ?? true,
    deviceEligible: state.prerequisite?.deviceEligible ?? true,
    sessionIsNotRemote: false,
    certEnrollment: 'none',
    cloudTgt: capable ? false : null,
    cloudTgtField: state.build >= 22631 ? 'OnPremTGT' : 'CloudTGT',
    preReqResult: 'WillNotProvision',
  };
  return { ...state, azureAdPrt: false, ngcKeyId: null, onPremTgt: capable ? false : null, cloudTgt: capable ? false : null, prerequisite };
}

export function whfbState(estate: LabEstate, computer: LabComputer, session: DsregcmdSession = 'signed-in-user'): WhfbState {
  if (computer.kind === 'device') {
    const state = deviceState(estate, computer);
    return session === 'remoting' ? asRemotingAccount(state) : state;
  }
  if (computer.kind === 'controller') {
    return {
      build: computer.controller.currentBuild,
      azureAdJoined: false,
      domainNetBios: computer.domain.netBiosName,
      tenant: null,
      deviceId: null,
      azureAdPrt: false,
      ngcKeyId: null,
      onPremTgt: null,
      cloudTgt: null,
      prerequisite: null,
      events: [],
      upn: null,
    };
  }
  throw new Error('the management host has no simulated Windows Hello for Business state');
}
