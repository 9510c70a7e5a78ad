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

  test('a writable DC below the minimum build blocks; a patched one beside it in the same site does not rescue it', () => {
    const result = assessDomain({
      domain: { dnsRoot: 'c.example.com' },
      forestSites: ['HQ'],
      controllers: [dc({ hostName: 'old', currentBuild: 14393, ubr: 3000 }), dc({ hostName: 'new' })],
    });
    expect(result.ready).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'dc-below-minimum-build', target: 'old', severity: 'blocker' })]);
  });
});
