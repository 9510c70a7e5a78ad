/**
 * What the docs say must hold for the Azure AD Kerberos server object (reference §1.4): Id = CloudId,
 * KeyVersion = CloudKeyVersion, DomainDnsName = CloudDomainDnsName, KeyUpdatedOn = CloudKeyUpdatedOn. Checked on Get-AzureADKerberosServer's result
 * and on the console output an operator pastes after the interactive run (list format, "Name : Value" lines).
 */
export interface KerberosHalves {
  id: string | null;
  cloudId: string | null;
  keyVersion: string | null;
  cloudKeyVersion: string | null;
  domainDnsName: string | null;
  cloudDomainDnsName: string | null;
  keyUpdatedOn?: string | null;
  cloudKeyUpdatedOn?: string | null;
}

/** The same instant? ISO texts (the scripts' output) compare as instants; other text (pasted console output) as written. */
function sameInstant(a: string | null, b: string | null): boolean {
  if (!a || !b) return !a && !b;
  const iso = /^\d{4}-\d{2}-\d{2}T/;
  if (iso.test(a) && iso.test(b)) return Date.parse(a) === Date.parse(b);
  return a.trim() === b.trim();
}

/** The mismatches between the AD half and the cloud half; empty when they agree. */
export function kerberosMismatches(s: KerberosHalves): string[] {
  const shown = (value: string | null) => value || '(empty)';
  const problems: string[] = [];
  if (s.id !== s.cloudId) problems.push(`Id ${shown(s.id)} differs from CloudId ${shown(s.cloudId)}`);
  if (s.keyVersion !== s.cloudKeyVersion) problems.push(`KeyVersion ${shown(s.keyVersion)} differs from CloudKeyVersion ${shown(s.cloudKeyVersion)}`);
  // DNS names compare case-insensitively (as the scripts' -ne does).
  if ((s.domainDnsName ?? '').toLowerCase() !== (s.cloudDomainDnsName ?? '').toLowerCase() || (s.domainDnsName === null) !== (s.cloudDomainDnsName === null)) problems.push(`DomainDnsName ${shown(s.domainDnsName)} differs from CloudDomainDnsName ${shown(s.cloudDomainDnsName)}`);
  if (s.keyUpdatedOn !== undefined || s.cloudKeyUpdatedOn !== undefined) {
    const on = s.keyUpdatedOn ?? null;
    const cloudOn = s.cloudKeyUpdatedOn ?? null;
    if (!sameInstant(on, cloudOn)) problems.push(`KeyUpdatedOn ${shown(on)} differs from CloudKeyUpdatedOn ${shown(cloudOn)}`);
  }
  return problems;
}

export interface PastedKerberosState {
  fields: Record<string, string>;
  problems: string[];
}

/** Get-AzureADKerberosServer's properties as the module spells them (the Entra sample prints "ID"). */
const PROPERTY_NAMES = ['Id', 'UserAccount', 'ComputerAccount', 'DisplayName', 'DomainDnsName', 'KeyVersion', 'KeyUpdatedOn', 'KeyUpdatedFrom', 'CloudDisplayName', 'CloudDomainDnsName', 'CloudId', 'CloudKeyVersion', 'CloudKeyUpdatedOn', 'CloudTrustDisplay'];
const canonicalName = new Map(PROPERTY_NAMES.map((name) => [name.toLowerCase(), name]));

/** `fields` is keyed by the property names as spelled above, whatever case the pasted text uses (PowerShell's names are case-insensitive). */
export function checkPastedKerberosOutput(text: string, domain: string): PastedKerberosState {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z]+)\s*:\s?(.*?)\s*$/.exec(line);
    if (match) fields[canonicalName.get(match[1].toLowerCase()) ?? match[1]] = match[2];
  }
  const value = (name: string) => fields[name] ?? '';
  if (!value('Id')) return { fields, problems: ['the output has no Id: the object is not configured, or this is not Get-AzureADKerberosServer output'] };
  const problems = kerberosMismatches({
    id: value('Id'),
    cloudId: value('CloudId'),
    keyVersion: value('KeyVersion'),
    cloudKeyVersion: value('CloudKeyVersion'),
    domainDnsName: value('DomainDnsName'),
    cloudDomainDnsName: value('CloudDomainDnsName'),
    keyUpdatedOn: value('KeyUpdatedOn'),
    cloudKeyUpdatedOn: value('CloudKeyUpdatedOn'),
  });
  if (value('DomainDnsName').toLowerCase() !== domain.toLowerCase()) problems.push(`the output is for ${value('DomainDnsName') || '(no domain)'}, not ${domain}`);
  return { fields, problems };
}
