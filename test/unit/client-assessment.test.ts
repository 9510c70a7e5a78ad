import { assessClient, judgeClientBuild, readPrerequisiteEvent, type ClientFacts, type ProvisioningEvent } from '../../model/client-assessment';

const TENANT = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';

function prerequisiteText(launched: boolean, policy: string | null, tgt: string | null, governedBy = 'none'): string {
  return [
    `Windows Hello for Business provisioning will ${launched ? '' : 'not '}be launched.`,
    'Device is AAD joined ( AADJ or DJ++ ): Yes',
    'User certificate for on premise auth policy is enabled: No',
    ...(policy ? [`Cloud trust for on premise auth policy is enabled: ${policy}`] : []),
    ...(tgt ? [`User account has Cloud TGT: ${tgt}`] : []),
    `Machine is governed by ${governedBy} policy.`,
  ].join('\n');
}

const event = (id: number, minutesAgo: number, message = ''): ProvisioningEvent => ({
  id,
  timeCreated: new Date(Date.UTC(2025, 0, 10, 12, 0) - minutesAgo * 60_000).toISOString(),
  level: 4,
  message,
});

function facts(overrides: Partial<ClientFacts> = {}): ClientFacts {
  return {
    name: 'pc01',
    reachable: true,
    error: null,
    osBuild: '22631.4460',
    azureAdJoined: true,
    domainJoined: true,
    tenantId: TENANT,
    ngcSet: true,
    onPremTgt: true,
    cloudTgt: true,
    azureAdPrt: true,
    certEnrollment: null,
    ngcPolicyEnabled: null,
    preReqResult: null,
    prerequisiteOnPremTgt: null,
    events: [],
    ...overrides,
  };
}

describe('client build eligibility (UseCloudTrustForOnPremAuth applicability: 19044.1566, 22000.527, 22621+)', () => {
  test.each([
    ['19044.1566', true],
    ['19044.1565', false],
    ['10.0.19044.2006', true],
    ['19045.2130', true],
    ['19043.1566', false],
    ['22000.527', true],
    ['22000.526', false],
    ['22621.1', true],
    ['26100.2605', true],
    ['20348.2849', false],
  ])('%s → eligible %s', (build, eligible) => {
    expect(judgeClientBuild(build).eligible).toBe(eligible);
  });

  test('a missing or unreadable build is unknown, not ineligible', () => {
    expect(judgeClientBuild(null)).toEqual({ eligible: null, reason: null });
    expect(judgeClientBuild('garbage').eligible).toBeNull();
  });

  test('the reason names the update the build lacks', () => {
    expect(judgeClientBuild('19044.1200').reason).toMatch(/KB5010415 \(19044\.1566\)/);
    expect(judgeClientBuild('22000.400').reason).toMatch(/KB5010414 \(22000\.527\)/);
  });
});

describe('prerequisite events', () => {
  test('358 and 360 lines are read', () => {
    expect(readPrerequisiteEvent(event(358, 1, prerequisiteText(true, 'Yes', 'Yes')))).toMatchObject({ launched: true, cloudTrustPolicy: 'yes', cloudTgt: 'yes', certificatePolicy: 'no', governedBy: 'none' });
    expect(readPrerequisiteEvent(event(360, 1, prerequisiteText(false, 'No', 'Not Tested', 'enrollment authority')))).toMatchObject({
      launched: false,
      cloudTrustPolicy: 'no',
      cloudTgt: 'not-tested',
      governedBy: 'enrollment authority',
    });
  });

  test('messages of older builds without the cloud-trust lines read as unknown', () => {
    expect(readPrerequisiteEvent(event(360, 1, prerequisiteText(false, null, null)))).toMatchObject({ cloudTrustPolicy: null, cloudTgt: null });
  });

  test('review row 23: the EventData fields decide, whatever language the message is rendered in', () => {
    const german = 'Die Bereitstellung von Windows Hello for Business wird gestartet.\nBenutzerkonto verfügt über Cloud-TGT: Yes';
    const data = { DeviceIsJoined: 'Yes', LogonCertRequired: 'No', CloudTrustPolicyEnabled: 'Yes', CloudTgtPresent: 'Not Tested', MachinePolicySource: 'mobile device management' };
    expect(readPrerequisiteEvent({ ...event(358, 1, german), data })).toMatchObject({ cloudTrustPolicy: 'yes', cloudTgt: 'not-tested', certificatePolicy: 'no', governedBy: 'mobile device management' });
    // Without EventData (an older sample), the English message is the fallback; a German one tells nothing.
    expect(readPrerequisiteEvent(event(358, 1, german))).toMatchObject({ cloudTrustPolicy: null, cloudTgt: null, certificatePolicy: null, governedBy: null });
    // A field the event carries wins over its message.
    expect(readPrerequisiteEvent({ ...event(360, 1, prerequisiteText(false, 'Yes', 'Yes')), data: { CloudTrustPolicyEnabled: 'No' } })).toMatchObject({ cloudTrustPolicy: 'no', cloudTgt: 'yes' });
  });
});

describe('assessClient', () => {
  test('an unreachable device is reported with the reason', () => {
    expect(assessClient(facts({ reachable: false, error: 'WinRM cannot complete the operation.' }))).toEqual({ assessment: 'unreachable', reasons: ['WinRM cannot complete the operation.'], describes: 'the sampling session' });
  });

  test('a device that answered but could not be sampled counts as unreachable', () => {
    const verdict = assessClient(facts({ error: 'Access is denied.', osBuild: null }));
    expect(verdict.assessment).toBe('unreachable');
    expect(verdict.reasons[0]).toMatch(/could not be sampled: Access is denied/);
  });

  test('NgcSet YES and OnPremTgt YES is cloud trust', () => {
    const verdict = assessClient(facts());
    expect(verdict.assessment).toBe('cloud-kerberos-trust');
    expect(verdict.reasons.join(' ')).toMatch(/OnPremTgt YES/);
  });

  test('NgcSet YES, OnPremTgt NO and CertEnrollment none is key trust by mistake', () => {
    const verdict = assessClient(facts({ onPremTgt: false, certEnrollment: 'none' }));
    expect(verdict.assessment).toBe('key-trust-fallback');
    expect(verdict.reasons.join(' ')).toMatch(/OnPremTgt NO and CertEnrollment none: provisioned with key trust by mistake/);
  });

  test('certificate enrollment means certificate trust, never cloud trust', () => {
    const verdict = assessClient(facts({ onPremTgt: true, certEnrollment: 'enrollment authority' }));
    expect(verdict.assessment).toBe('certificate-trust');
    expect(verdict.reasons.join(' ')).toMatch(/certificate trust \(enrollment authority\).*certutil -deletehellocontainer/);
  });

  test.each([
    ['19044.1200', /KB5010415/],
    ['22000.100', /KB5010414/],
    ['19042.1706', /older than Windows 10 21H2/],
  ])('build %s is not eligible, even with a container', (osBuild, reason) => {
    const verdict = assessClient(facts({ osBuild }));
    expect(verdict.assessment).toBe('not-eligible');
    expect(verdict.reasons[0]).toMatch(reason);
  });

  test('a device that is not Entra joined is not eligible', () => {
    const verdict = assessClient(facts({ azureAdJoined: false, ngcSet: false }));
    expect(verdict).toEqual({ assessment: 'not-eligible', reasons: [expect.stringMatching(/AzureAdJoined NO/)], describes: 'the sampling session' });
  });

  test("a device joined to another tenant is not eligible for this rollout's tenant (braces and case ignored)", () => {
    expect(assessClient(facts({ tenantId: `{${TENANT.toUpperCase()}}` }), { tenantId: TENANT }).assessment).toBe('cloud-kerberos-trust');
    const verdict = assessClient(facts({ tenantId: '11111111-2222-3333-4444-555555555555' }), { tenantId: TENANT });
    expect(verdict.assessment).toBe('not-eligible');
    expect(verdict.reasons[0]).toMatch(/joined to tenant 11111111/);
  });

  test('no container and a 360 event: not provisioned, with the reasons the event gives', () => {
    const verdict = assessClient(
      facts({ ngcSet: false, onPremTgt: false, certEnrollment: 'none', preReqResult: 'WillNotProvision', events: [event(360, 5, prerequisiteText(false, 'Yes', 'No'))] }),
    );
    expect(verdict.assessment).toBe('not-provisioned');
    expect(verdict.reasons).toEqual(expect.arrayContaining(['PreReqResult WillNotProvision', 'event 360: provisioning will not be launched', expect.stringMatching(/no cloud TGT/)]));
  });

  test('a failed key registration is named', () => {
    const verdict = assessClient(facts({ ngcSet: false, onPremTgt: null, events: [event(301, 1, 'The NGC key registration request failed.')] }));
    expect(verdict.assessment).toBe('not-provisioned');
    expect(verdict.reasons[0]).toMatch(/event 301/);
  });

  test('nothing at all yet: not provisioned, users provision at their next sign-in', () => {
    const verdict = assessClient(facts({ ngcSet: false, onPremTgt: null, events: [] }));
    expect(verdict).toEqual({ assessment: 'not-provisioned', reasons: [expect.stringMatching(/next sign-in/)], describes: 'the sampling session' });
  });

  describe('sampled remotely: NgcSet describes the remoting account, the event log the device', () => {
    test('a key registered after a 358 naming cloud trust is cloud trust', () => {
      const verdict = assessClient(
        facts({ ngcSet: false, onPremTgt: false, events: [event(358, 10, prerequisiteText(true, 'Yes', 'Yes')), event(300, 9, 'The NGC key was successfully registered.')] }),
      );
      expect(verdict.assessment).toBe('cloud-kerberos-trust');
      expect(verdict.reasons.join(' ')).toMatch(/event 300.*event 358: cloud trust policy enabled/);
    });

    test('a key registered while the cloud-trust policy was off is key trust', () => {
      const verdict = assessClient(facts({ ngcSet: false, onPremTgt: null, events: [event(300, 9), event(358, 10, prerequisiteText(true, 'No', 'Not Tested'))] }));
      expect(verdict.assessment).toBe('key-trust-fallback');
    });

    test('the newest prerequisite event decides', () => {
      const verdict = assessClient(
        facts({ ngcSet: false, onPremTgt: null, events: [event(358, 100, prerequisiteText(true, 'No', 'Not Tested')), event(358, 10, prerequisiteText(true, 'Yes', 'Yes')), event(300, 9)] }),
      );
      expect(verdict.assessment).toBe('cloud-kerberos-trust');
    });

    test('a machine governed by an enrollment authority provisioned certificate trust', () => {
      const verdict = assessClient(facts({ ngcSet: false, onPremTgt: null, events: [event(300, 9), event(358, 10, prerequisiteText(true, 'No', 'Not Tested', 'enrollment authority'))] }));
      expect(verdict.assessment).toBe('certificate-trust');
      expect(verdict.reasons.join(' ')).toMatch(/certificate trust/);
    });

    test('a key without any event naming the policy is not taken for cloud trust', () => {
      const verdict = assessClient(facts({ ngcSet: false, onPremTgt: null, events: [event(300, 9)] }));
      expect(verdict.assessment).toBe('key-trust-fallback');
      expect(verdict.reasons.join(' ')).toMatch(/no evidence of cloud Kerberos trust/);
    });
  });

  describe("collected in the signed-in user's session", () => {
    const user = (overrides: Partial<ClientFacts>) => facts({ collectedAs: 'signed-in-user', signedInUser: 'CORP\\anna', ...overrides });

    test('the verdict names whose state it describes', () => {
      expect(assessClient(user({}))).toMatchObject({ assessment: 'cloud-kerberos-trust', describes: 'signed-in user CORP\\anna' });
    });

    test('nobody signed in is not eligible, with that reason, whatever the events say', () => {
      const verdict = assessClient(user({ signedInUser: null, ngcSet: null, onPremTgt: null, events: [event(300, 9)] }));
      expect(verdict).toMatchObject({ assessment: 'not-eligible', describes: 'nobody signed in', reasons: [expect.stringMatching(/^nobody signed in/)] });
    });

    test("the user's own NgcSet NO is not overruled by another user's key event", () => {
      expect(assessClient(user({ ngcSet: false, onPremTgt: false, events: [event(300, 9)] })).assessment).toBe('not-provisioned');
    });

    test('a container without the on-premises TGT is the key trust fallback', () => {
      const verdict = assessClient(user({ onPremTgt: false, cloudTgt: true, certEnrollment: 'none' }));
      expect(verdict.assessment).toBe('key-trust-fallback');
      expect(verdict.reasons.join(' ')).toMatch(/OnPremTgt NO and CertEnrollment none/);
    });

    test('a failure to collect in the session is reported, not guessed', () => {
      expect(assessClient(user({ error: 'dsregcmd /status in the session of CORP\\anna ended with exit code 0x80070005' })).assessment).toBe('unreachable');
    });
  });

  describe('collected over remoting', () => {
    test("the remoting account's container and tickets are ignored: the events decide, and the verdict says so", () => {
      const verdict = assessClient(facts({ collectedAs: 'remoting-account', ngcSet: true, onPremTgt: true, events: [event(300, 9), event(358, 10, prerequisiteText(true, 'No', 'Not Tested'))] }));
      expect(verdict.assessment).toBe('key-trust-fallback');
      expect(verdict.describes).toBe("remoting account (not the device's user)");
      expect(verdict.reasons.join(' ')).toMatch(/describe the remoting account/);
    });
  });
});
