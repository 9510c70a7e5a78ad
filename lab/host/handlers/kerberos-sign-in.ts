import type { LabEstate } from '../../estate/schema';
import { LabError } from '../handler';
import type { LabCredential } from './credential';

const ENTRA_ROLES = ['Hybrid Identity Administrator', 'Global Administrator'];
const AD_GROUPS = ['Domain Admins', 'Enterprise Admins'];
const MODULE_ERROR = 'Microsoft.AzureAD.Kdc.Management';

/**
 * The sign-ins the AzureADHybridAuthenticationManagement cmdlets make: Entra with -CloudCredential (password only —
 * an MFA-enforced account fails exactly as the real sign-in does), and AD with -DomainCredential or, when absent,
 * the process identity (the lab's management host runs as a domain admin).
 */
export function signInToEntra(estate: LabEstate, credential: LabCredential, cmdlet: string): void {
  const { userName, password } = credential.__pscredential;
  const admin = estate.tenant.admins.find((a) => a.userPrincipalName.toLowerCase() === userName.toLowerCase());
  if (!admin || admin.password !== password) {
    throw new LabError(`AADSTS50126: Error validating credentials due to invalid username or password.`, 'AuthenticationError', `${MODULE_ERROR}.${cmdlet}`, userName);
  }
  if (admin.mfaEnforced) {
    throw new LabError(
      `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0000-c000-000000000000'.`,
      'AuthenticationError',
      `${MODULE_ERROR}.${cmdlet}`,
      userName,
    );
  }
  if (!admin.entraRoles.some((role) => ENTRA_ROLES.includes(role))) {
    throw new LabError(`${userName} does not hold the Hybrid Identity Administrator or Global Administrator role in the tenant.`, 'PermissionDenied', `${MODULE_ERROR}.${cmdlet}`, userName);
  }
}

/** Checks -DomainCredential; returns whether the AD identity may write (Domain Admins / Enterprise Admins). */
export function signInToDomain(estate: LabEstate, credential: LabCredential | undefined, cmdlet: string): { canWrite: boolean } {
  if (!credential) return { canWrite: true };
  const { userName, password } = credential.__pscredential;
  if (!userName.includes('@')) {
    throw new LabError(`Failed to connect to the domain: the user name or password is incorrect (${userName} binds over NTLM; use the UPN form).`, 'AuthenticationError', `${MODULE_ERROR}.${cmdlet}`, userName);
  }
  const admin = estate.tenant.admins.find((a) => a.userPrincipalName.toLowerCase() === userName.toLowerCase());
  if (!admin || admin.password !== password) {
    throw new LabError('The user name or password is incorrect.', 'AuthenticationError', `${MODULE_ERROR}.${cmdlet}`, userName);
  }
  return { canWrite: admin.adGroups.some((group) => AD_GROUPS.includes(group)) };
}

/** The documented field failure when the AD identity lacks rights (reference §8). */
export function insufficientAccessRights(cmdlet: string): LabError {
  return new LabError(
    'Failed to create Azure AD Kerberos Server: Error sending directory request: The user has insufficient access rights.',
    'NotSpecified',
    `System.InvalidOperationException,${MODULE_ERROR}.${cmdlet}`,
  );
}
