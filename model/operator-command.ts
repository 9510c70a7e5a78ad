import { KERBEROS_ENDPOINT, type TenantCloud } from './cloud';

/**
 * The command an operator runs interactively on the management host when the Entra admin is MFA-protected
 * (the module has no app-only sign-in; reference §1.3). Values are quoted for PowerShell single-quoted strings.
 */
export interface OperatorCommandInput {
  domain: string;
  userPrincipalName: string;
  /** UPN of the AD admin when the operator's own logon is not a Domain Admin of that domain. */
  domainAdminUpn?: string;
  action: 'create' | 'rotate' | 'remove';
  /** The tenant's cloud; absent or public = the module's default endpoint. */
  cloud?: TenantCloud;
}

const quote = (value: string) => `'${value.replace(/['‘’‚‛]/g, (q) => q + q)}'`;

export function operatorCommand(input: OperatorCommandInput): string {
  const lines = [
    '[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12',
    "Import-Module -Name 'AzureADHybridAuthenticationManagement'",
  ];
  if (input.cloud && input.cloud !== 'public') lines.push(`Set-AzureADKerberosServerEndpoint -TargetEndpoint ${KERBEROS_ENDPOINT[input.cloud]}`);
  const domainCredential = input.domainAdminUpn ? ` -DomainCredential (Get-Credential -UserName ${quote(input.domainAdminUpn)} -Message 'AD admin')` : '';
  const common = `-Domain ${quote(input.domain)} -UserPrincipalName ${quote(input.userPrincipalName)}${domainCredential}`;
  if (input.action === 'create') lines.push(`Set-AzureADKerberosServer ${common}`);
  if (input.action === 'rotate') lines.push(`Set-AzureADKerberosServer ${common} -RotateServerKey`);
  if (input.action === 'remove') lines.push(`Remove-AzureADKerberosServer ${common}`);
  lines.push(`Get-AzureADKerberosServer ${common}`);
  return lines.join('\n');
}
