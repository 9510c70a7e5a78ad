import { catalogSetting } from '../../model/intune-delivery';
import { catalogProblems, gpoPolicyProblems, intuneProfileProblems, type CatalogVerificationRead, type GpoVerificationScan, type ProfileVerificationScan } from '../../model/policy-verification';

const NAME = 'cloudtrust - WHfB';
const TARGETS = ['OU=Workstations,DC=corp,DC=contoso,DC=com', 'OU=Laptops,DC=corp,DC=contoso,DC=com'];

describe('GPO channel: the scan of the domain', () => {
  const set = (valueName: string, value: number | string | null = 1, fields: { scope?: string; policyState?: string } = {}) => ({ scope: 'Computer', valueName, value, policyState: 'Set', ...fields });
  const scan = (fields: Partial<GpoVerificationScan['gpos'][number]> = {}, certificateTrustGpos: GpoVerificationScan['certificateTrustGpos'] = []): GpoVerificationScan => ({
    gpos: [{ displayName: NAME, values: [set('Enabled'), set('UseCloudTrustForOnPremAuth')], links: TARGETS.map((target) => ({ target, enabled: true })), ...fields }],
    certificateTrustGpos,
  });
  const problems = (s: GpoVerificationScan) => gpoPolicyProblems({ name: NAME, targets: TARGETS }, s);

  test('the GPO in place shows nothing; names and DNs compare without case', () => {
    expect(problems(scan())).toEqual([]);
    expect(gpoPolicyProblems({ name: NAME.toUpperCase(), targets: TARGETS.map((t) => t.toLowerCase()) }, scan())).toEqual([]);
  });

  test('a missing GPO (no PassportForWork settings) is one problem, whatever the targets', () => {
    expect(problems({ gpos: [], certificateTrustGpos: [] })).toEqual([`GPO ${NAME} carries no PassportForWork settings`]);
    expect(problems({ ...scan(), gpos: scan().gpos.map((g) => ({ ...g, displayName: 'another GPO' })) })).toEqual([`GPO ${NAME} carries no PassportForWork settings`]);
  });

  test.each([
    ['missing', [set('UseCloudTrustForOnPremAuth')]],
    ['0', [set('Enabled', 0), set('UseCloudTrustForOnPremAuth')]],
    ['in user scope only', [set('Enabled', 1, { scope: 'User' }), set('UseCloudTrustForOnPremAuth')]],
    ['deleted rather than set', [set('Enabled', 1, { policyState: 'Delete' }), set('UseCloudTrustForOnPremAuth')]],
  ])('Enabled %s is not 1', (_case, values) => {
    expect(problems(scan({ values }))).toEqual([`GPO ${NAME}: Enabled is not 1`]);
  });

  test('cloud trust not 1; a string "1" counts as 1', () => {
    expect(problems(scan({ values: [set('Enabled'), set('UseCloudTrustForOnPremAuth', 0)] }))).toEqual([`GPO ${NAME}: UseCloudTrustForOnPremAuth is not 1`]);
    expect(problems(scan({ values: [set('Enabled')] }))).toEqual([`GPO ${NAME}: UseCloudTrustForOnPremAuth is not 1`]);
    expect(problems(scan({ values: [set('Enabled', '1'), set('UseCloudTrustForOnPremAuth', '1')] }))).toEqual([]);
  });

  test('a target without a link, or with a disabled one, is named', () => {
    expect(problems(scan({ links: [{ target: TARGETS[0], enabled: true }] }))).toEqual([`GPO ${NAME} is not linked (enabled) to ${TARGETS[1]}`]);
    expect(problems(scan({ links: [{ target: TARGETS[0], enabled: false }, { target: TARGETS[1], enabled: true }] }))).toEqual([`GPO ${NAME} is not linked (enabled) to ${TARGETS[0]}`]);
    expect(problems(scan({ links: [{ target: 'DC=corp,DC=contoso,DC=com', enabled: true }] }))).toHaveLength(2);
  });

  test('every GPO that sets certificate trust is a problem, ours in place or not', () => {
    expect(problems(scan({}, [{ displayName: 'Legacy WHfB' }]))).toEqual(['GPO Legacy WHfB sets UseCertificateForOnPremAuth: certificate trust takes precedence']);
    expect(problems({ gpos: [], certificateTrustGpos: [{ displayName: 'Legacy WHfB' }] })).toEqual([
      `GPO ${NAME} carries no PassportForWork settings`,
      'GPO Legacy WHfB sets UseCertificateForOnPremAuth: certificate trust takes precedence',
    ]);
  });
});

describe('Intune custom profile: the scan of the tenant', () => {
  type Profile = ProfileVerificationScan['profiles'][number];
  const assigned = [{ targetType: 'group', groupId: 'g-1' }];
  const scan = (fields: Partial<Profile> = {}, conflicts: ProfileVerificationScan['conflicts'] = []): ProfileVerificationScan => ({
    profiles: [{ displayName: NAME, usesCloudTrust: true, usePassportForWork: true, assignments: assigned, ...fields }],
    conflicts,
  });
  const problems = (s: ProfileVerificationScan) => intuneProfileProblems(NAME, s);

  test('the profile in place shows nothing; UsePassportForWork not set is no problem', () => {
    expect(problems(scan())).toEqual([]);
    expect(problems(scan({ usePassportForWork: null }))).toEqual([]);
    expect(intuneProfileProblems(NAME.toLowerCase(), scan())).toEqual([]);
  });

  test('a missing profile', () => {
    expect(problems({ profiles: [], conflicts: [] })).toEqual([`profile ${NAME} not found`]);
  });

  test('no cloud trust', () => {
    expect(problems(scan({ usesCloudTrust: false }))).toEqual([`profile ${NAME} does not set UseCloudTrustForOnPremAuth`]);
  });

  test('UsePassportForWork false', () => {
    expect(problems(scan({ usePassportForWork: false }))).toEqual([`profile ${NAME} sets UsePassportForWork to false`]);
  });

  test('not assigned to a group: no assignment, all devices only, a group target without an id', () => {
    for (const assignments of [[], [{ targetType: 'allDevices', groupId: null }], [{ targetType: 'group', groupId: null }], [{ targetType: 'exclusionGroup', groupId: 'g-2' }]]) {
      expect(problems(scan({ assignments }))).toEqual([`profile ${NAME} is not assigned to a group`]);
    }
  });

  test('every conflict the scan found is a problem, with its reason', () => {
    expect(problems(scan({}, [{ displayName: 'Old profile', reason: 'sets UseCertificateForOnPremAuth: certificate trust takes precedence' }]))).toEqual([
      'profile Old profile: sets UseCertificateForOnPremAuth: certificate trust takes precedence',
    ]);
  });
});

describe('Intune settings catalog: the read of the policy', () => {
  const CLOUD_TRUST = catalogSetting('usecloudtrustforonpremauth');
  const USE_PASSPORT = catalogSetting('usepassportforwork');
  const read = (settings: Array<[string, string | null]>, assignments: CatalogVerificationRead['assignments'] = [{ targetType: 'group', groupId: 'G-1' }]): CatalogVerificationRead => ({
    policy: { settings: settings.map(([settingDefinitionId, value]) => ({ settingDefinitionId, value })) },
    assignments,
  });
  const inPlace = read([[CLOUD_TRUST, `${CLOUD_TRUST}_true`], [USE_PASSPORT, `${USE_PASSPORT}_true`]]);

  test('the policy in place shows nothing, with or without the group to look for', () => {
    expect(catalogProblems(NAME, inPlace)).toEqual([]);
    expect(catalogProblems(NAME, inPlace, 'g-1')).toEqual([]);
    expect(catalogProblems(NAME, read([[CLOUD_TRUST, `${CLOUD_TRUST}_true`]]))).toEqual([]);
  });

  test('a missing policy is the only problem', () => {
    expect(catalogProblems(NAME, { policy: null, assignments: [] })).toEqual([`settings-catalog policy ${NAME} not found`]);
  });

  test('cloud trust not true', () => {
    for (const settings of [[], [[CLOUD_TRUST, `${CLOUD_TRUST}_false`]], [[CLOUD_TRUST, null]]] as Array<Array<[string, string | null]>>) {
      expect(catalogProblems(NAME, read(settings))).toEqual([`settings-catalog policy ${NAME} does not set Use Cloud Trust For On Prem Auth to true`]);
    }
  });

  test('WHfB switched off', () => {
    expect(catalogProblems(NAME, read([[CLOUD_TRUST, `${CLOUD_TRUST}_true`], [USE_PASSPORT, `${USE_PASSPORT}_false`]]))).toEqual([`settings-catalog policy ${NAME} sets Use Windows Hello For Business to false`]);
  });

  test('not assigned: to any group, or to the group named', () => {
    const unassigned = read([[CLOUD_TRUST, `${CLOUD_TRUST}_true`]], [{ targetType: 'allDevices', groupId: null }]);
    expect(catalogProblems(NAME, unassigned)).toEqual([`settings-catalog policy ${NAME} is not assigned to a group`]);
    expect(catalogProblems(NAME, inPlace, 'g-2')).toEqual([`settings-catalog policy ${NAME} is not assigned to group g-2`]);
  });
});
