import type { LabAdmin, LabDomain, LabEstate } from '../../../estate/schema';
import type { CommandCall, CommandContext, WireCredential } from '../types';
import { homeDomain } from './domain';
import { requireTenantEndpoint } from './endpoint';
import { moduleError, stsTrailer } from './errors';

/** Entra roles that may manage the Kerberos server object (how-to: Hybrid Identity Administrator; Kerberos-trust article: Global Administrator). */
const ENTRA_ROLES = ['hybrid identity administrator', 'global administrator'];
/** AD groups that may create, update and remove the AD objects (how-to: Domain Admins and Enterprise Admins). */
const AD_ADMIN_GROUPS = ['domain admins', 'enterprise admins'];
/** The resource the module asks Entra for a token for (undocumented; the Azure AD Graph application id). */
const TOKEN_RESOURCE = '00000002-0000-0000-c000-000000000000';

const findAdmin = (estate: LabEstate, upn: string): LabAdmin | undefined => estate.tenant.admins.find((a) => a.userPrincipalName.toLowerCase() === upn.toLowerCase());

/**
 * The Entra sign-in: -CloudCredential is a password sign-in (resource owner password), which Entra refuses for
 * an account that must use multi-factor authentication (how-to, examples 3 and 4: such admins use
 * -UserPrincipalName); -UserPrincipalName opens the interactive sign-in, which the person at the prompt completes
 * with their second factor. The account then needs one of the two Entra roles. Both go to the Entra authority of
 * the cloud Set-AzureADKerberosServerEndpoint chose (kerberos/endpoint.ts).
 */
export function signInToEntra(call: CommandCall, lab: CommandContext, estate: LabEstate, commandClass: string, action: string): LabAdmin {
  const credential = call.get<WireCredential>('CloudCredential');
  const upn = credential?.userName ?? call.get<string>('UserPrincipalName') ?? '';
  requireTenantEndpoint(call, lab, estate, commandClass, upn);
  const admin = findAdmin(estate, upn);
  if (!admin || (credential && admin.password !== credential.password)) lab.fail('KdcInvalidCredentials', { CommandClass: commandClass, ...stsTrailer(lab.now()) });
  if (credential && admin.mfaEnforced) lab.fail('KdcMfaRequired', { CommandClass: commandClass, resource: TOKEN_RESOURCE, ...stsTrailer(lab.now()) });
  if (!admin.entraRoles.some((role) => ENTRA_ROLES.includes(role.toLowerCase()))) moduleError(lab, 'KdcCloudRoleRequired', commandClass, action);
  return admin;
}

/**
 * The AD identity: -DomainCredential, or the account the session runs as (its groups are
 * estate.managementHost.adGroups; absent = Domain Admins and Enterprise Admins). A credential in DOMAIN\user form
 * against a domain other than the host's binds over NTLM and fails (how-to, "View and verify"); the UPN form works
 * everywhere. Returns whether the identity may change the objects.
 */
export function signInToDomain(call: CommandCall, lab: CommandContext, estate: LabEstate, domain: LabDomain, commandClass: string): { canWrite: boolean } {
  const credential = call.get<WireCredential>('DomainCredential');
  if (!credential) return { canWrite: isAdAdmin(estate.managementHost.adGroups ?? ['Domain Admins', 'Enterprise Admins']) };
  const { userName, password } = credential;
  let upn = userName;
  if (!userName.includes('@')) {
    const home = homeDomain(estate);
    if (domain.dnsName.toLowerCase() !== home.dnsName.toLowerCase()) {
      moduleError(lab, 'KdcDomainCredentialNtlm', commandClass, 'ConnectToActiveDirectory', { innerMessage: 'The user name or password is incorrect.' });
    }
    const [netbios, sam] = userName.includes('\\') ? userName.split('\\', 2) : [home.netBiosName, userName];
    const accountDomain = estate.forests.flatMap((f) => f.domains).find((d) => d.netBiosName.toLowerCase() === netbios.toLowerCase());
    upn = accountDomain ? `${sam}@${accountDomain.dnsName}` : '';
  }
  const account = findAdmin(estate, upn);
  if (!account || account.password !== password) moduleError(lab, 'KdcDomainCredentialInvalid', commandClass, 'ConnectToActiveDirectory');
  return { canWrite: isAdAdmin(account.adGroups) };
}

function isAdAdmin(groups: string[]): boolean {
  return groups.some((group) => AD_ADMIN_GROUPS.includes(group.toLowerCase()));
}
