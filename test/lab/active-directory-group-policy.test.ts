import type { LabEstate } from '../../lab/estate/schema';
import { LabService } from '../../lab/service/server';
import { labEstateFile } from '../steps/lab-estate';

/**
 * The ActiveDirectory and GroupPolicy simulations as the stubs call them (one POST per command call), for the
 * documented behaviours the step scripts do not all reach: filters, -Properties, -SearchBase, credentials,
 * -Server, replication, rights and the documented errors.
 */

interface Answer {
  output: Array<{ $t: string; types: string[]; props: Record<string, unknown> } & Record<string, unknown>>;
  errors: Array<Record<string, unknown>>;
  error: { exceptionType: string; message: string; errorId: string; category: string; targetObject: string | null } | null;
}

const FABRIKAM = 'DC=fabrikam,DC=com';
const WORKSTATIONS = 'OU=Workstations,OU=Paris,DC=fabrikam,DC=com';
const PDC = 'fab-dc01.fabrikam.com';
const CERT_PILOT = '8f4c2a19-6b3d-4e7f-a1c5-d9e0b2f47a63';
const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';

describe('ActiveDirectory and GroupPolicy simulations', () => {
  let service: LabService;
  let lab: ReturnType<typeof labEstateFile>;

  async function start(adjust: (estate: LabEstate) => void = () => undefined): Promise<void> {
    await service?.close();
    lab = labEstateFile('realistic', adjust);
    service = await LabService.start(lab.file);
  }
  afterAll(() => service?.close());

  async function call(module: string, command: string, parameterSet: string, parameters: Record<string, unknown>): Promise<Answer> {
    const response = await fetch(new URL('invoke', service.endpoint), {
      method: 'POST',
      headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ module, command, parameterSet, parameters, computer: null, process: 1 }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  }
  const ad = (command: string, parameterSet: string, parameters: Record<string, unknown>) => call('ActiveDirectory', command, parameterSet, parameters);
  const gp = (command: string, parameterSet: string, parameters: Record<string, unknown>) => call('GroupPolicy', command, parameterSet, parameters);
  const value = (v: unknown) => (v && typeof v === 'object' && '$t' in v ? (v as unknown as { v: unknown }).v : v);

  describe('Get-ADObject and the directory', () => {
    beforeAll(() => start());

    test('(gPLink=*) finds the domain head and the linked OUs; gPLink lists link order 1 last', async () => {
      const answer = await ad('Get-ADObject', 'LdapFilter', { LDAPFilter: '(gPLink=*)', SearchBase: FABRIKAM, Server: PDC, Properties: ['gPLink'] });
      expect(answer.error).toBeNull();
      expect(answer.output.map((o) => o.props.DistinguishedName)).toEqual([FABRIKAM, WORKSTATIONS]);
      expect(answer.output[1].props.gPLink).toBe(`[LDAP://cn={${CERT_PILOT.toUpperCase()}},cn=policies,cn=system,${FABRIKAM};0]`);
      expect(answer.output[0].types).toEqual(['Microsoft.ActiveDirectory.Management.ADObject']);
    });

    test('the default property set, plus only what -Properties asks for; an attribute that is not set is left out', async () => {
      const plain = await ad('Get-ADObject', 'Identity', { Identity: WORKSTATIONS, Server: PDC });
      expect(Object.keys(plain.output[0].props).sort()).toEqual(['DistinguishedName', 'Name', 'ObjectClass', 'ObjectGUID']);
      expect(plain.output[0].props.ObjectClass).toBe('organizationalUnit');
      const asked = await ad('Get-ADObject', 'Identity', { Identity: 'OU=Groups,DC=fabrikam,DC=com', Server: PDC, Properties: ['gPLink', 'CanonicalName'] });
      expect(asked.output[0].props).not.toHaveProperty('gPLink');
      expect(asked.output[0].props.CanonicalName).toBe('fabrikam.com/Groups');
    });

    test('LDAP filters: and, or, not, substrings, bit masks; objectCategory by short name', async () => {
      const search = async (filter: string) => (await ad('Get-ADObject', 'LdapFilter', { LDAPFilter: filter, Server: PDC })).output.map((o) => o.props.Name);
      expect(await search('(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))')).toEqual(['FAB-DC01', 'FAB-DC02', 'FAB-DC03']);
      expect(await search('(&(objectClass=organizationalUnit)(!(ou=Domain*))(|(ou=Par*)(ou=Groups)))')).toEqual(['Paris', 'Groups']);
      const bad = await ad('Get-ADObject', 'LdapFilter', { LDAPFilter: '(cn=x', Server: PDC });
      expect(bad.error).toMatchObject({ exceptionType: 'Microsoft.ActiveDirectory.Management.ADException', errorId: 'ActiveDirectoryServer:8254', message: 'The search filter cannot be recognized' });
    });

    test('-Filter: * and simple expressions; a syntax error says where', async () => {
      const groups = await ad('Get-ADGroup', 'Filter', { Filter: "Name -like 'Domain*' -and GroupScope -eq 'Global'", Server: PDC });
      expect(groups.output.map((g) => g.props.Name)).toEqual(['Domain Admins', 'Domain Users', 'Domain Guests', 'Domain Computers', 'Domain Controllers']);
      const bare = await ad('Get-ADUser', 'Filter', { Filter: 'SamAccountName -eq ThmsRynr', Server: PDC });
      expect(bare.error).toMatchObject({ exceptionType: 'Microsoft.ActiveDirectory.Management.ADFilterParsingException', category: 'ParserError' });
      expect(bare.error!.message).toBe("Error parsing query: 'SamAccountName -eq ThmsRynr' Error Message: 'syntax error' at position: '20'.");
    });

    test('-SearchBase that does not exist, an identity that does not exist', async () => {
      const base = await ad('Get-ADObject', 'LdapFilter', { LDAPFilter: '(objectClass=*)', SearchBase: `OU=Nowhere,${FABRIKAM}`, Server: PDC });
      expect(base.error).toMatchObject({ message: 'Directory object not found', category: 'ObjectNotFound', errorId: 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException' });
      const group = await ad('Get-ADGroup', 'Identity', { Identity: 'No-Such-Group', Server: PDC });
      expect(group.error).toMatchObject({ message: `Cannot find an object with identity: 'No-Such-Group' under: '${FABRIKAM}'.`, targetObject: 'No-Such-Group' });
    });

    test('Get-ADGroup: member only when asked for, DNs; the SID the GPO trustees carry', async () => {
      const group = await ad('Get-ADGroup', 'Identity', { Identity: 'whfb-devices', Server: PDC, Properties: ['member'] });
      expect(group.output[0].props).toMatchObject({ SamAccountName: 'WHfB-Devices', GroupScope: 'Global', GroupCategory: 'Security' });
      expect(value(group.output[0].props.member)).toHaveLength(4);
      expect(group.output[0].props.SID).toMatch(/^S-1-5-21-\d+-\d+-\d+-\d+$/);
      const admins = await ad('Get-ADGroup', 'Identity', { Identity: 'Domain Admins', Server: PDC });
      expect(String(admins.output[0].props.SID)).toMatch(/-512$/);
    });
  });

  describe('-Server and -Credential', () => {
    beforeAll(() =>
      start((estate) => {
        const eu = estate.forests[0].domains.find((d) => d.dnsName === 'eu.fabrikam.com')!;
        for (const dc of eu.controllers) dc.reachable = dc.isReadOnly;
      }),
    );

    test('a domain name finds a DC that answers; a DC that is down, or a name nobody answers, is ADServerDown', async () => {
      const rodcOnly = await ad('Get-ADDomainController', 'Identity', { Server: 'eu.fabrikam.com' });
      expect(rodcOnly.output[0].props).toMatchObject({ HostName: 'eu-rodc01.eu.fabrikam.com', IsReadOnly: true });
      const down = await ad('Get-ADDomain', 'Identity', { Identity: 'eu.fabrikam.com', Server: 'eu-dc01.eu.fabrikam.com' });
      expect(down.error).toMatchObject({ exceptionType: 'Microsoft.ActiveDirectory.Management.ADServerDownException', errorId: 'ActiveDirectoryServer:0', category: 'ResourceUnavailable', targetObject: null });
      const nobody = await ad('Get-ADForest', 'Identity', { Identity: 'nowhere.example', Server: 'nowhere.example' });
      expect(nobody.error?.message).toMatch(/^Unable to contact the server\./);
    });

    test('UPN and DOMAIN\\user credentials both sign in; a wrong password is an AuthenticationException', async () => {
      const upn = await ad('Get-ADDomain', 'Identity', { Identity: 'fabrikam.com', Server: PDC, Credential: { userName: 'adm-whfb@fabrikam.com', password: 'lab-Fab-AD-1' } });
      expect(upn.output[0].props.PDCEmulator).toBe(PDC);
      const netbios = await ad('Get-ADDomain', 'Identity', { Identity: 'fabrikam.com', Server: PDC, Credential: { userName: 'FABRIKAM\\adm-whfb', password: 'lab-Fab-AD-1' } });
      expect(netbios.error).toBeNull();
      const wrong = await ad('Get-ADDomain', 'Identity', { Identity: 'fabrikam.com', Server: PDC, Credential: { userName: 'FABRIKAM\\adm-whfb', password: 'nope' } });
      expect(wrong.error).toMatchObject({ exceptionType: 'System.Security.Authentication.AuthenticationException', category: 'SecurityError', message: 'The server has rejected the client credentials.' });
    });

    test('GroupPolicy writes need a writable DC: an RODC refuses them', async () => {
      const read = await gp('Get-GPO', 'GetAll', { All: true, Domain: 'eu.fabrikam.com', Server: 'eu-rodc01.eu.fabrikam.com' });
      expect(read.output.map((g) => g.props.DisplayName)).toEqual(['Default Domain Policy']);
      const write = await gp('New-GPO', 'New', { Name: 'x', Domain: 'eu.fabrikam.com', Server: 'eu-rodc01.eu.fabrikam.com' });
      expect(write.error).toMatchObject({ exceptionType: 'System.UnauthorizedAccessException', message: 'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))' });
      const noPdc = await gp('Get-GPO', 'GetAll', { All: true, Domain: 'eu.fabrikam.com' });
      expect(noPdc.error?.message).toBe('The specified domain either does not exist or could not be contacted. (Exception from HRESULT: 0x8007054B)');
    });
  });

  describe('replication of the Azure AD Kerberos objects', () => {
    beforeAll(() =>
      start((estate) => {
        const fabrikam = estate.forests[0].domains[0];
        fabrikam.kerberosServer.ad = {
          id: 4242,
          keyVersion: 20350,
          previousKeyVersion: 1,
          keyUpdatedOn: new Date().toISOString(),
          keyUpdatedFrom: PDC,
          userAccount: `CN=krbtgt_AzureAD,CN=Users,${FABRIKAM}`,
          computerAccount: `CN=AzureADKerberos,OU=Domain Controllers,${FABRIKAM}`,
        };
      }),
    );

    test('the DC the key was written on shows it at once, the others keep the previous version for their delay', async () => {
      const version = async (server: string) => {
        const answer = await ad('Get-ADObject', 'LdapFilter', { LDAPFilter: '(cn=krbtgt_AzureAD)', SearchBase: `CN=Users,${FABRIKAM}`, SearchScope: 'OneLevel', Server: server, Properties: ['msDS-KeyVersionNumber'] });
        return answer.output[0]?.props['msDS-KeyVersionNumber'];
      };
      expect(await version(PDC)).toEqual({ $t: 'int', v: 20350 });
      expect(await version('fab-dc02.fabrikam.com')).toEqual({ $t: 'int', v: 1 });
    });
  });

  describe('GPO settings, permissions and links', () => {
    beforeEach(() => start());

    test('a key the GPO does not configure is the documented UnableToRetrievePolicyRegistryItem error', async () => {
      const missing = await gp('Get-GPRegistryValue', 'GetByGUID', { Guid: CERT_PILOT, Key: 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork', Domain: 'fabrikam.com', Server: PDC });
      expect(missing.error).toMatchObject({ exceptionType: 'System.ArgumentException', errorId: 'UnableToRetrievePolicyRegistryItem', category: 'InvalidArgument', targetObject: 'GetGPRegistryValueCommand' });
      expect(missing.error!.message).toContain('"HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Microsoft\\PassportForWork"');
      const present = await gp('Get-GPRegistryValue', 'GetByGUID', { Guid: CERT_PILOT, Key: POLICY_KEY, ValueName: 'Enabled', Domain: 'fabrikam.com', Server: PDC });
      expect(present.output[0].props).toMatchObject({ KeyPath: 'SOFTWARE\\Policies\\Microsoft\\PassportForWork', FullKeyPath: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\PassportForWork', Hive: 'LocalMachine', PolicyState: 'Set', Type: 'DWord', Value: { $t: 'int', v: 1 } });
    });

    test('review row 18: the same error wraps a missing Registry.pol (FileNotFound) and an unreadable SYSVOL folder (access denied)', async () => {
      const args = { Guid: CERT_PILOT, Key: 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork', Domain: 'fabrikam.com', Server: PDC };
      const noPol = await gp('Get-GPRegistryValue', 'GetByGUID', args);
      expect(noPol.error).toMatchObject({ errorId: 'UnableToRetrievePolicyRegistryItem', inner: { exceptionType: 'System.IO.FileNotFoundException', message: expect.stringContaining('0x80070002') } });
      const noKey = await gp('Get-GPRegistryValue', 'GetByGUID', { ...args, Key: `${POLICY_KEY}\\Nowhere` });
      expect(noKey.error).toMatchObject({ errorId: 'UnableToRetrievePolicyRegistryItem' });
      expect(noKey.error).not.toHaveProperty('inner');
      await lab.store.update((estate) => {
        estate.forests.flatMap((f) => f.domains).flatMap((d) => d.gpos).find((g) => g.id === CERT_PILOT)!.sysvolAccessDenied = true;
      });
      const denied = await gp('Get-GPRegistryValue', 'GetByGUID', { ...args, Key: POLICY_KEY });
      expect(denied.error).toMatchObject({ errorId: 'UnableToRetrievePolicyRegistryItem', inner: { exceptionType: 'System.UnauthorizedAccessException', message: expect.stringContaining('0x80070005') } });
      const write = await gp('Set-GPRegistryValue', 'ByGUID', { Guid: CERT_PILOT, Key: POLICY_KEY, ValueName: 'Enabled', Type: 'DWord', Value: 1, Domain: 'fabrikam.com', Server: PDC });
      expect(write.error).toMatchObject({ exceptionType: 'System.UnauthorizedAccessException' });
      const report = await gp('Get-GPOReport', 'ReportAll', { All: true, ReportType: 'Xml', Domain: 'fabrikam.com', Server: PDC });
      expect(report.errors).toEqual([expect.objectContaining({ exceptionType: 'System.UnauthorizedAccessException' })]);
      expect(String(report.output[0])).not.toContain(CERT_PILOT.toUpperCase());
    });

    test('Get-GPOReport -ReportType Xml: one report document; WHfB values under their ADMX names, others by key path', async () => {
      const one = await gp('Get-GPOReport', 'ByGUID', { Guid: CERT_PILOT, ReportType: 'Xml', Domain: 'fabrikam.com', Server: PDC });
      const xml = String(one.output[0]);
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-16"\?>\r\n<GPO [^>]*xmlns="http:\/\/www.microsoft.com\/GroupPolicy\/Settings"/);
      expect(xml).toContain(`<Identifier xmlns="http://www.microsoft.com/GroupPolicy/Types">{${CERT_PILOT.toUpperCase()}}</Identifier>`);
      expect(xml).toContain('<Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Registry" xsi:type="q1:RegistrySettings">');
      expect(xml).toContain('<q1:Policy><q1:Name>Use certificate for on-premises authentication</q1:Name><q1:State>Enabled</q1:State><q1:Category>Windows Components/Windows Hello for Business</q1:Category></q1:Policy>');
      expect(xml).toContain('<LinksTo><SOMName>Workstations</SOMName><SOMPath>fabrikam.com/Paris/Workstations</SOMPath><Enabled>true</Enabled><NoOverride>false</NoOverride></LinksTo>');
      await lab.store.update((estate) => {
        estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName === 'fabrikam.com')!.gpos.push({
          id: '5d1e7c2a-3b4f-4a6e-9c8d-7f0a1b2c3d4e', displayName: 'Kiosk users', status: 'AllSettingsEnabled', links: [], permissions: [],
          registryValues: [{ key: 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork', valueName: 'UseCloudTrustForOnPremAuth', type: 'DWord', value: 1 }],
        });
      });
      const user = String((await gp('Get-GPOReport', 'ByName', { Name: 'Kiosk users', ReportType: 'Xml', Domain: 'fabrikam.com', Server: PDC })).output[0]);
      expect(user).toContain('<User><VersionDirectory>0</VersionDirectory><VersionSysvol>0</VersionSysvol><Enabled>true</Enabled><ExtensionData>');
      expect(user).toContain('<q1:RegistrySetting><q1:KeyPath>SOFTWARE\\Policies\\Microsoft\\PassportForWork</q1:KeyPath><q1:AdmSetting>false</q1:AdmSetting><q1:Value><q1:Name>UseCloudTrustForOnPremAuth</q1:Name><q1:Number>1</q1:Number></q1:Value></q1:RegistrySetting>');
      const all = await gp('Get-GPOReport', 'ReportAll', { All: true, ReportType: 'Xml', Domain: 'fabrikam.com', Server: PDC });
      expect(all.output).toHaveLength(1);
      expect(String(all.output[0]).match(/<GPO>/g)).toHaveLength((await lab.store.read()).forests.flatMap((f) => f.domains).find((d) => d.dnsName === 'fabrikam.com')!.gpos.length);
    });

    test('Set-GPPermission without -Replace keeps a higher level; with -Replace sets exactly; an unknown trustee fails', async () => {
      const args = { Guid: CERT_PILOT, TargetName: 'Authenticated Users', TargetType: 'Group', DomainName: 'fabrikam.com', Server: PDC };
      await gp('Set-GPPermission', 'PermissionOne(GUID)', { ...args, PermissionLevel: 'GpoRead' });
      const kept = await gp('Get-GPPermission', 'SourcebyGUID', { Guid: CERT_PILOT, TargetName: 'Authenticated Users', TargetType: 'Group', DomainName: 'fabrikam.com', Server: PDC });
      expect(kept.output[0].props.Permission).toBe('GpoApply');
      await gp('Set-GPPermission', 'PermissionOne(GUID)', { ...args, PermissionLevel: 'GpoRead', Replace: true });
      const all = await gp('Get-GPPermission', 'SourcebyGUID', { Guid: CERT_PILOT, All: true, DomainName: 'fabrikam.com', Server: PDC });
      const users = all.output.find((p) => (p.props.Trustee as { props: Record<string, unknown> }).props.Sid === 'S-1-5-11')!;
      expect(users.props.Permission).toBe('GpoRead');
      expect((users.props.Trustee as { props: Record<string, unknown> }).props).toMatchObject({ Name: 'Authenticated Users', SidType: 'WellKnownGroup', Domain: 'NT AUTHORITY' });
      const unknown = await gp('Set-GPPermission', 'PermissionOne(GUID)', { ...args, TargetName: 'No-Such-Group', PermissionLevel: 'GpoApply' });
      expect(unknown.error).toMatchObject({ exceptionType: 'System.Runtime.InteropServices.COMException', message: 'No mapping between account names and security IDs was done. (Exception from HRESULT: 0x80070534)' });
      expect((await lab.store.read()).mutations).toEqual({ [`gpoperm:fabrikam.com:WHfB Certificate Trust Pilot (2019):Authenticated Users`]: 1 });
    });

    test('a trustee without a permission is a non-terminating error of Get-GPPermission', async () => {
      const none = await gp('Get-GPPermission', 'SourcebyGUID', { Guid: CERT_PILOT, TargetName: 'WHfB-Devices', TargetType: 'Group', DomainName: 'fabrikam.com', Server: PDC });
      expect(none.error).toBeNull();
      expect(none.output).toEqual([]);
      expect(none.errors).toEqual([expect.objectContaining({ errorId: 'GPPermissionNotFound', category: 'InvalidArgument' })]);
    });

    test('links: a second link to the same target is refused; Set-GPLink needs an existing link; the order is kept 1..n', async () => {
      const again = await gp('New-GPLink', 'LinkbyGUID', { Guid: CERT_PILOT, Target: WORKSTATIONS.toLowerCase(), Domain: 'fabrikam.com', Server: PDC });
      expect(again.error).toMatchObject({ errorId: 'UnableToCreateNewLink', message: `The GPO named 'WHfB Certificate Trust Pilot (2019)' is already linked to a Scope of Management with Path '${WORKSTATIONS.toLowerCase()}'.` });
      const first = await gp('New-GPLink', 'LinkbyGUID', { Guid: '31b2f340-016d-11d2-945f-00c04fb984f9', Target: WORKSTATIONS, Order: 1, Domain: 'fabrikam.com', Server: PDC });
      expect(first.output[0].props).toMatchObject({ Target: WORKSTATIONS, Order: { $t: 'int', v: 1 }, Enabled: true, Enforced: false });
      const gpLink = await ad('Get-ADObject', 'Identity', { Identity: WORKSTATIONS, Server: PDC, Properties: ['gPLink'] });
      expect(String(gpLink.output[0].props.gPLink)).toMatch(/^\[LDAP:\/\/cn=\{8F4C2A19-[^\]]+;0\]\[LDAP:\/\/cn=\{31B2F340-[^\]]+;0\]$/);
      const missing = await gp('Set-GPLink', 'LinkGUID', { Guid: CERT_PILOT, Target: 'OU=Groups,DC=fabrikam,DC=com', LinkEnabled: 'No', Domain: 'fabrikam.com', Server: PDC });
      expect(missing.error).toMatchObject({ errorId: 'GpoLinkNotFound' });
      const nowhere = await gp('New-GPLink', 'LinkbyGUID', { Guid: CERT_PILOT, Target: `OU=Nowhere,${FABRIKAM}`, Domain: 'fabrikam.com', Server: PDC });
      expect(nowhere.error).toMatchObject({ message: 'Unknown error (0x80005000)' });
    });

    test('the session account needs the right: without Domain Admins, GPO edits need GpoEdit on the GPO', async () => {
      await start((estate) => {
        estate.managementHost.adGroups = ['GPO-Editors'];
        estate.forests[0].domains[0].gpos.find((g) => g.id === CERT_PILOT)!.permissions.push({ trustee: 'GPO-Editors', trusteeType: 'Group', permission: 'GpoEdit' });
      });
      const edit = await gp('Set-GPRegistryValue', 'ByGUID', { Guid: CERT_PILOT, Key: POLICY_KEY, ValueName: ['Enabled'], Type: 'DWord', Value: 0, Domain: 'fabrikam.com', Server: PDC });
      expect(edit.error).toBeNull();
      const link = await gp('New-GPLink', 'LinkbyGUID', { Guid: CERT_PILOT, Target: FABRIKAM, Domain: 'fabrikam.com', Server: PDC });
      expect(link.error).toMatchObject({ exceptionType: 'System.UnauthorizedAccessException', category: 'NotSpecified' });
      const create = await gp('New-GPO', 'New', { Name: 'Another', Domain: 'fabrikam.com', Server: PDC });
      expect(create.error?.exceptionType).toBe('System.UnauthorizedAccessException');
      expect(Object.keys((await lab.store.read()).mutations)).toEqual([`gpovalue:fabrikam.com:WHfB Certificate Trust Pilot (2019):${POLICY_KEY}\\Enabled`]);
    });
  });
});
