import { graphEnvironment, tenantCloud } from '../../model/cloud';
import { kerberosObjectProblems, type KerberosObjectFacts } from '../../model/kerberos-health';
import { checkPastedKerberosOutput, kerberosMismatches } from '../../model/kerberos-output';
import { operatorCommand } from '../../model/operator-command';
import { parseSpec, SpecError } from '../../model/spec-file';

const DN = 'DC=contoso,DC=com';
const healthy: KerberosObjectFacts = {
  domainDistinguishedName: DN,
  serviceConnectionPoint: { present: true, distinguishedName: `CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,${DN}` },
  userAccount: { present: true, distinguishedName: `CN=krbtgt_AzureAD,CN=Users,${DN}`, enabled: false, supportedEncryptionTypes: null },
  computerAccount: { present: true, distinguishedName: `CN=AzureADKerberos,OU=Domain Controllers,${DN}` },
};

describe('Kerberos server object health rules', () => {
  test('healthy: nothing to report; unset msDS-SupportedEncryptionTypes (the DCs\' AES default) and AES-only 0x18 both pass', () => {
    expect(kerberosObjectProblems(healthy)).toEqual([]);
    expect(kerberosObjectProblems({ ...healthy, userAccount: { ...healthy.userAccount, supportedEncryptionTypes: 0x18 } })).toEqual([]);
  });

  test('each rule has its precise text', () => {
    const broken: KerberosObjectFacts = {
      domainDistinguishedName: DN,
      serviceConnectionPoint: { present: false, distinguishedName: null },
      userAccount: { present: true, distinguishedName: `CN=krbtgt-AzureAD,CN=Users,${DN}`, enabled: true, supportedEncryptionTypes: 0x4 },
      computerAccount: { present: false, distinguishedName: null },
    };
    expect(kerberosObjectProblems(broken)).toEqual([
      `the serviceConnectionPoint CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,${DN} is missing: the tools find the Kerberos server objects through it`,
      `CN=krbtgt-AzureAD,CN=Users,${DN} is enabled: the account that holds the Kerberos server key must be disabled`,
      `CN=krbtgt-AzureAD,CN=Users,${DN} has msDS-SupportedEncryptionTypes 0x4 without AES256_HMAC_SHA1 (0x10): Entra Kerberos uses AES-256 only`,
      `the computer CN=AzureADKerberos,OU=Domain Controllers,${DN} is missing: it stands for the Entra KDC as an RODC`,
    ]);
    expect(kerberosObjectProblems({ ...healthy, userAccount: { present: false, distinguishedName: null, enabled: null, supportedEncryptionTypes: null } })).toEqual([
      `the krbtgt_AzureAD account (CN=krbtgt_AzureAD or CN=krbtgt-AzureAD under CN=Users,${DN}) is missing: it holds the Kerberos server key`,
    ]);
  });

  test('KeyUpdatedOn must equal CloudKeyUpdatedOn (instants compared, whatever the offset notation)', () => {
    const halves = { id: '1', cloudId: '1', keyVersion: '2', cloudKeyVersion: '2', domainDnsName: 'contoso.com', cloudDomainDnsName: 'contoso.com' };
    expect(kerberosMismatches({ ...halves, keyUpdatedOn: '2026-11-01T10:00:00.0000000Z', cloudKeyUpdatedOn: '2026-11-01T10:00:00Z' })).toEqual([]);
    expect(kerberosMismatches({ ...halves, keyUpdatedOn: '2026-11-01T10:00:00Z', cloudKeyUpdatedOn: '2026-10-01T10:00:00Z' })).toEqual([
      'KeyUpdatedOn 2026-11-01T10:00:00Z differs from CloudKeyUpdatedOn 2026-10-01T10:00:00Z',
    ]);
    expect(kerberosMismatches({ ...halves, keyUpdatedOn: '2026-11-01T10:00:00Z', cloudKeyUpdatedOn: null })).toEqual(['KeyUpdatedOn 2026-11-01T10:00:00Z differs from CloudKeyUpdatedOn (empty)']);
  });

  test('pasted output with "ID" and a KeyUpdatedOn mismatch is refused with both names', () => {
    const pasted = checkPastedKerberosOutput(
      ['ID                 : 25614', 'DomainDnsName      : contoso.com', 'KeyVersion         : 212621', 'KeyUpdatedOn       : 2/24/2024 9:03:15 AM', 'CloudDomainDnsName : contoso.com', 'CloudId            : 25614', 'CloudKeyVersion    : 212621', 'CloudKeyUpdatedOn  : 1/10/2024 8:00:00 AM'].join('\n'),
      'contoso.com',
    );
    expect(pasted.fields.Id).toBe('25614');
    expect(pasted.problems).toEqual(['KeyUpdatedOn 2/24/2024 9:03:15 AM differs from CloudKeyUpdatedOn 1/10/2024 8:00:00 AM']);
  });
});

describe('the tenant\'s cloud', () => {
  const spec = (tenant: string) => `
name: x
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d${tenant} }
cloudSignIn: { interactive: { userPrincipalName: admin@contoso.com } }
domains:
  - { name: a.contoso.com, channel: intune, intune: { group: G } }
rings:
  - { name: one, domains: [a.contoso.com] }
`;
  const graph = (environment: string) => `, graph: { clientId: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a, certificateThumbprint: 0123456789ABCDEF0123456789ABCDEF01234567${environment ? `, environment: ${environment}` : ''} }`;
  const problemsOf = (text: string) => {
    try {
      parseSpec(text, 'test.yaml');
    } catch (error) {
      if (error instanceof SpecError) return error.problems;
      throw error;
    }
    return [];
  };

  test('absent: public; the Graph environment follows the cloud when absent', () => {
    const china = parseSpec(spec(`, cloud: china${graph('')}`), 'test.yaml');
    expect(tenantCloud(china.tenant)).toBe('china');
    expect(graphEnvironment(china.tenant)).toBe('China');
    const usgov = parseSpec(spec(`, cloud: usgovernment${graph('')}`), 'test.yaml');
    expect(graphEnvironment(usgov.tenant)).toBe('USGov');
    const plain = parseSpec(spec(graph('')), 'test.yaml');
    expect(tenantCloud(plain.tenant)).toBe('public');
    expect(graphEnvironment(plain.tenant)).toBeUndefined();
    expect(tenantCloud(parseSpec(spec(graph('USGovDoD')), 'test.yaml').tenant)).toBe('usgovernment');
  });

  test('a Graph environment of another cloud is a spec error naming its path', () => {
    expect(problemsOf(spec(`, cloud: china${graph('USGov')}`))).toEqual(['tenant.graph.environment: Graph environment USGov is not in the china cloud that tenant.cloud names']);
    expect(problemsOf(spec(`, cloud: usgovernment${graph('USGovDoD')}`))).toEqual([]);
    expect(problemsOf(spec(', cloud: mooncake'))).toEqual(['tenant.cloud: must be public, usgovernment or china']);
  });

  test('the operator command selects the endpoint first when the cloud is not public', () => {
    const input = { domain: 'corp.contoso.com', userPrincipalName: 'admin@contoso.us', action: 'create' as const };
    expect(operatorCommand({ ...input, cloud: 'usgovernment' }).split('\n')).toEqual([
      expect.stringContaining('SecurityProtocol'),
      "Import-Module -Name 'AzureADHybridAuthenticationManagement'",
      'Set-AzureADKerberosServerEndpoint -TargetEndpoint 2',
      "Set-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'admin@contoso.us'",
      "Get-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'admin@contoso.us'",
    ]);
    expect(operatorCommand({ ...input, cloud: 'china' })).toContain('Set-AzureADKerberosServerEndpoint -TargetEndpoint 1');
    expect(operatorCommand({ ...input, cloud: 'public' })).not.toContain('Endpoint');
    expect(operatorCommand(input)).not.toContain('Endpoint');
  });
});
