import type { Finding } from './preflight';

/**
 * The AD objects of the Azure AD Kerberos server object and the rules they must meet (reference §1.4, §1.2):
 * the serviceConnectionPoint the tools find the objects by, the krbtgt account that holds the key (disabled,
 * with AES keys) and the AzureADKerberos computer. Pure: used inside workflows.
 */
export interface KerberosObjectFacts {
  domainDistinguishedName: string;
  serviceConnectionPoint: { present: boolean; distinguishedName: string | null };
  userAccount: { present: boolean; distinguishedName: string | null; enabled: boolean | null; supportedEncryptionTypes: number | null };
  computerAccount: { present: boolean; distinguishedName: string | null };
}

export const KERBEROS_SCP_CN = '900274c4-b7d2-43c8-90ee-00a9f650e335';
const AES256_HMAC_SHA1 = 0x10;

const hex = (value: number) => `0x${value.toString(16).toUpperCase()}`;

/**
 * What is wrong with the objects; empty when healthy. msDS-SupportedEncryptionTypes not set means the DCs'
 * default for the account: a krbtgt account has AES keys from its first password set at any supported domain
 * functional level, and since KB5073381's enforcement phase (April 2026) the KDC's default for accounts without
 * the attribute is AES only (0x18). So unset is healthy; a value set without AES256_HMAC_SHA1 (0x10) is not —
 * Entra Kerberos tickets use AES-256 only.
 */
export function kerberosObjectProblems(facts: KerberosObjectFacts): string[] {
  const dn = facts.domainDistinguishedName;
  const problems: string[] = [];
  if (!facts.serviceConnectionPoint.present) {
    problems.push(`the serviceConnectionPoint CN=${KERBEROS_SCP_CN},CN=AzureAD,CN=System,${dn} is missing: the tools find the Kerberos server objects through it`);
  }
  const account = facts.userAccount;
  if (!account.present) {
    problems.push(`the krbtgt_AzureAD account (CN=krbtgt_AzureAD or CN=krbtgt-AzureAD under CN=Users,${dn}) is missing: it holds the Kerberos server key`);
  } else {
    if (account.enabled) problems.push(`${account.distinguishedName} is enabled: the account that holds the Kerberos server key must be disabled`);
    const types = account.supportedEncryptionTypes;
    if (types !== null && (types & AES256_HMAC_SHA1) === 0) {
      problems.push(`${account.distinguishedName} has msDS-SupportedEncryptionTypes ${hex(types)} without AES256_HMAC_SHA1 (0x10): Entra Kerberos uses AES-256 only`);
    }
  }
  if (!facts.computerAccount.present) problems.push(`the computer CN=AzureADKerberos,OU=Domain Controllers,${dn} is missing: it stands for the Entra KDC as an RODC`);
  return problems;
}

/** Whether any AD object of the Kerberos server object exists (else there is nothing to judge yet). */
export function kerberosObjectsPresent(facts: KerberosObjectFacts): boolean {
  return facts.serviceConnectionPoint.present || facts.userAccount.present || facts.computerAccount.present;
}

/** One finding per problem, for the domain's report. */
export function kerberosHealthFindings(problems: string[], domain: string, severity: Finding['severity']): Finding[] {
  return problems.map((message) => ({ severity, code: 'kerberos-object-health', message, target: domain }));
}
