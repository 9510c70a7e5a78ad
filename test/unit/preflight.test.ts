import { assessDomain, judgeController, type ControllerFacts } from '../../model/preflight';

const dc = (overrides: Partial<ControllerFacts>): ControllerFacts => ({
  hostName: 'dc.corp.example.com',
  site: 'HQ',
  isReadOnly: false,
  operatingSystem: 'Windows Server',
  currentBuild: 20348,
  ubr: 1,
  supportedEncryptionTypes: null,
  reachable: true,
  error: null,
  ...overrides,
});

describe('domain controller minimums (build and UBR, not Get-HotFix)', () => {
  test.each([
    [14393, 3473, 'needs-update'],
    [14393, 3474, 'supported'],
    [17763, 1011, 'needs-update'],
    [17763, 1012, 'supported'],
    [20348, 0, 'supported'],
    [26100, 1, 'supported'],
    [9600, 20000, 'unsupported-os'],
  ])('build %i.%i is %s', (currentBuild, ubr, status) => {
    expect(judgeController(dc({ currentBuild, ubr })).status).toBe(status);
  });

  test('an unreachable DC is unknown, with the reason', () => {
    const verdict = judgeController(dc({ reachable: false, currentBuild: null, ubr: null, error: 'WinRM cannot complete the operation' }));
    expect(verdict).toMatchObject({ status: 'unknown', requirement: 'WinRM cannot complete the operation' });
  });
});

describe('domain assessment', () => {
  test('a DC that answered but whose registry could not be read is reported reachable with an unknown build, not unreachable', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'corp.example.com' },
      forestSites: ['HQ'],
      controllers: [dc({ hostName: 'dc1' }), dc({ hostName: 'dc2', currentBuild: null, ubr: null, error: 'Access is denied.' }), dc({ hostName: 'dc3', reachable: false, currentBuild: null, ubr: null, error: 'WinRM cannot complete the operation' })],
    });
    expect(result.findings).toEqual([
      { severity: 'warning', code: 'dc-build-unknown', target: 'dc2', message: 'dc2 answered, but its build and UBR could not be read: Access is denied.' },
      { severity: 'warning', code: 'dc-unreachable', target: 'dc3', message: 'dc3: WinRM cannot complete the operation' },
    ]);
  });

  test('a site whose only DC is read-only blocks the domain', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'corp.example.com' },
      forestSites: ['HQ', 'Branch'],
      controllers: [dc({ hostName: 'dc1', site: 'HQ' }), dc({ hostName: 'rodc1', site: 'Branch', isReadOnly: true })],
    });
    expect(result.ready).toBe(false);
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'blocker', code: 'site-without-writable-dc', target: 'Branch' }));
  });

  test('restricted encryption types without AES256 block; with AES256 they pass', () => {
    const without = assessDomain({ domain: { dnsRoot: 'c.example.com' }, forestSites: ['HQ'], controllers: [dc({ supportedEncryptionTypes: 0x8 })] });
    expect(without.findings.map((f) => f.code)).toEqual(['aes256-not-allowed']);
    const withAes = assessDomain({ domain: { dnsRoot: 'c.example.com' }, forestSites: ['HQ'], controllers: [dc({ supportedEncryptionTypes: 0x18 })] });
    expect(withAes.ready).toBe(true);
    expect(withAes.findings).toEqual([]);
  });

  test('without capacity readiness (runs recorded before it), a writable DC below the minimum build blocks even beside a patched one', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'c.example.com' },
      forestSites: ['HQ'],
      controllers: [dc({ hostName: 'old', currentBuild: 14393, ubr: 3000 }), dc({ hostName: 'new' })],
    });
    expect(result.ready).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'dc-below-minimum-build', target: 'old', severity: 'blocker' })]);
  });
});

describe('DC readiness by capacity: capable writable DCs per site', () => {
  const capacity = { capacity: true };

  test('Windows Server 2022 and 2025 builds are recognised and need no extra update', () => {
    expect(judgeController(dc({ currentBuild: 20348, ubr: 0 }))).toMatchObject({ status: 'supported', release: 'Windows Server 2022' });
    expect(judgeController(dc({ currentBuild: 26100, ubr: 1742 }))).toMatchObject({ status: 'supported', release: 'Windows Server 2025' });
    expect(judgeController(dc({ currentBuild: 14393, ubr: 3000 }))).toMatchObject({ status: 'needs-update', release: 'Windows Server 2016' });
  });

  test('an unpatched writable DC is a warning while its site keeps a capable writable DC', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'c.example.com' },
      forestSites: ['HQ'],
      controllers: [dc({ hostName: 'old', currentBuild: 14393, ubr: 3000 }), dc({ hostName: 'new' })],
    }, capacity);
    expect(result.ready).toBe(true);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'dc-below-minimum-build', target: 'old', severity: 'warning', message: expect.stringContaining('site HQ still has 1 capable writable DC (1 required)') })]);
    expect(result.sites).toEqual([{ site: 'HQ', writable: 2, readOnly: 0, capableWritable: 1, required: 1, status: 'ok' }]);
  });

  test('a site whose only writable DC is unpatched blocks the domain, even when another site is fine', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'c.example.com' },
      forestSites: ['HQ', 'Branch'],
      controllers: [dc({ hostName: 'hq1', site: 'HQ' }), dc({ hostName: 'br1', site: 'Branch', currentBuild: 17763, ubr: 900 })],
    }, capacity);
    expect(result.ready).toBe(false);
    expect(result.findings.filter((f) => f.severity === 'blocker').map((f) => [f.code, f.target])).toEqual([['dc-below-minimum-build', 'br1'], ['site-without-capable-writable-dc', 'Branch']]);
    expect(result.sites?.find((s) => s.site === 'Branch')).toMatchObject({ capableWritable: 0, status: 'none-capable' });
  });

  test('a site below the spec\'s minimum of capable writable DCs blocks, naming the capable ones', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'c.example.com' },
      forestSites: ['HQ'],
      controllers: [dc({ hostName: 'a' }), dc({ hostName: 'b', currentBuild: 14393, ubr: 3000 }), dc({ hostName: 'c', reachable: false, currentBuild: null, ubr: null, error: 'WinRM cannot complete the operation' })],
    }, { capacity: true, minimumCapableWritablePerSite: 2 });
    expect(result.ready).toBe(false);
    expect(result.findings).toContainEqual({ severity: 'blocker', code: 'site-below-dc-capacity', target: 'HQ', message: 'site HQ has 1 writable DC that can serve cloud Kerberos trust (a); the spec asks for 2 per site' });
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'dc-below-minimum-build', target: 'b', severity: 'blocker' }));
  });

  test('read-only DCs never count: an RODC-only site blocks whatever its patch level', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'c.example.com' },
      forestSites: ['HQ', 'Branch'],
      controllers: [dc({ hostName: 'hq1' }), dc({ hostName: 'rodc', site: 'Branch', isReadOnly: true })],
    }, capacity);
    expect(result.sites?.find((s) => s.site === 'Branch')).toEqual({ site: 'Branch', writable: 0, readOnly: 1, capableWritable: 0, required: 1, status: 'read-only-only' });
    expect(result.ready).toBe(false);
  });
});
