import { checkPastedKerberosOutput } from '../../model/kerberos-output';

/** Get-AzureADKerberosServer's list output, as the Kerberos-trust article's sample prints it ("ID", 14 lines). */
const sample = `
ID                 : 25614
UserAccount        : CN=krbtgt-AzureAD, CN=Users, DC=contoso, DC=com
ComputerAccount    : CN=AzureADKerberos, OU=Domain Controllers, DC=contoso, DC=com
DisplayName        : krbtgt_25614
DomainDnsName      : contoso.com
KeyVersion         : 212621
KeyUpdatedOn       : 2/24/2024 9:03:15 AM
KeyUpdatedFrom     : DC01.contoso.com
CloudDisplayName   : krbtgt_25614
CloudDomainDnsName : contoso.com
CloudId            : 25614
CloudKeyVersion    : 212621
CloudKeyUpdatedOn  : 2/24/2024 9:03:15 AM
CloudTrustDisplay  :
`;

describe('pasted Get-AzureADKerberosServer output (cloudtrust kerberos-done --get-output)', () => {
  test('the documented sample: consistent, fields under the module\'s spelling', () => {
    const pasted = checkPastedKerberosOutput(sample, 'contoso.com');
    expect(pasted.problems).toEqual([]);
    expect(pasted.fields).toMatchObject({ Id: '25614', KeyVersion: '212621', KeyUpdatedFrom: 'DC01.contoso.com', CloudTrustDisplay: '' });
  });

  test('property names are read case-insensitively (keyversion, KEYUPDATEDON, cloudid)', () => {
    const shouted = sample.replace('KeyVersion         :', 'keyversion :').replace('KeyUpdatedFrom', 'KEYUPDATEDFROM').replace('KeyUpdatedOn ', 'KEYUPDATEDON ').replace('CloudId ', 'cloudid ');
    const pasted = checkPastedKerberosOutput(shouted, 'contoso.com');
    expect(pasted.problems).toEqual([]);
    expect(pasted.fields).toMatchObject({ KeyVersion: '212621', KeyUpdatedOn: '2/24/2024 9:03:15 AM', KeyUpdatedFrom: 'DC01.contoso.com', CloudId: '25614' });
  });

  test('a mismatch found through other-case names is still a mismatch', () => {
    const pasted = checkPastedKerberosOutput(sample.replace('KeyVersion         : 212621', 'keyversion : 3'), 'contoso.com');
    expect(pasted.problems).toEqual(['KeyVersion 3 differs from CloudKeyVersion 212621']);
  });

  test('DNS names are values compared case-insensitively: the domain asked for, and the two halves', () => {
    const pasted = checkPastedKerberosOutput(sample.replace('CloudDomainDnsName : contoso.com', 'CloudDomainDnsName : CONTOSO.COM'), 'Contoso.com');
    expect(pasted.problems).toEqual([]);
    expect(checkPastedKerberosOutput(sample, 'fabrikam.com').problems).toEqual(['the output is for contoso.com, not fabrikam.com']);
  });

  test('without an Id (not configured, or not this command\'s output) it is refused', () => {
    expect(checkPastedKerberosOutput('id :\nKeyVersion :', 'contoso.com').problems[0]).toMatch(/^the output has no Id/);
  });
});
