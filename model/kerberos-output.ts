/**
 * Reads the console output of Get-AzureADKerberosServer that an operator pastes after the interactive run
 * (list format, "Name : Value" lines) and checks what the docs say must hold: Id = CloudId,
 * KeyVersion = CloudKeyVersion, DomainDnsName = CloudDomainDnsName (reference §1.4).
 */
export interface PastedKerberosState {
  fields: Record<string, string>;
  problems: string[];
}

export function checkPastedKerberosOutput(text: string, domain: string): PastedKerberosState {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z]+)\s*:\s?(.*?)\s*$/.exec(line);
    if (match) fields[match[1]] = match[2];
  }
  const problems: string[] = [];
  const value = (name: string) => fields[name] ?? '';
  if (!value('Id')) problems.push('the output has no Id: the object is not configured, or this is not Get-AzureADKerberosServer output');
  else {
    if (value('Id') !== value('CloudId')) problems.push(`Id ${value('Id')} differs from CloudId ${value('CloudId') || '(empty)'}`);
    if (value('KeyVersion') !== value('CloudKeyVersion')) problems.push(`KeyVersion ${value('KeyVersion')} differs from CloudKeyVersion ${value('CloudKeyVersion') || '(empty)'}`);
    if (value('DomainDnsName') !== value('CloudDomainDnsName')) problems.push(`DomainDnsName ${value('DomainDnsName')} differs from CloudDomainDnsName ${value('CloudDomainDnsName') || '(empty)'}`);
    if (value('DomainDnsName').toLowerCase() !== domain.toLowerCase()) problems.push(`the output is for ${value('DomainDnsName') || '(no domain)'}, not ${domain}`);
  }
  return { fields, problems };
}
