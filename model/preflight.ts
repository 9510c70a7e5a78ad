/**
 * Preflight assessment of one domain, from its inventory. Pure and deterministic: used inside workflows.
 * Minimums (reference: whfb-cloud-trust.md §2.1): Server 2016 needs KB4534307 = 14393.3474,
 * Server 2019 needs KB4534321 = 17763.1012, Server 2022 (20348) and later need nothing extra,
 * anything older than 2016 is unsupported. Decided by CurrentBuild and UBR, never by Get-HotFix.
 */

export interface ControllerFacts {
  hostName: string;
  site: string;
  isReadOnly: boolean;
  operatingSystem: string;
  currentBuild: number | null;
  ubr: number | null;
  supportedEncryptionTypes: number | null;
  reachable: boolean;
  error: string | null;
}

export interface InventoryFacts {
  domain: { dnsRoot: string };
  forestSites: string[];
  controllers: ControllerFacts[];
}

export type Severity = 'blocker' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  target?: string;
}

export interface ControllerVerdict {
  hostName: string;
  site: string;
  isReadOnly: boolean;
  build: string;
  status: 'supported' | 'needs-update' | 'unsupported-os' | 'unknown';
  requirement?: string;
}

export interface PreflightAssessment {
  domain: string;
  ready: boolean;
  controllers: ControllerVerdict[];
  findings: Finding[];
}

const AES256_HMAC_SHA1 = 0x10;

const MINIMUMS: Array<{ build: number; ubr: number; label: string }> = [
  { build: 14393, ubr: 3474, label: 'Windows Server 2016 needs KB4534307 (14393.3474) or a later cumulative update' },
  { build: 17763, ubr: 1012, label: 'Windows Server 2019 needs KB4534321 (17763.1012) or a later cumulative update' },
];
const FIRST_BUILD_WITHOUT_EXTRA_UPDATE = 20348;
const FIRST_SUPPORTED_BUILD = 14393;

export function judgeController(dc: ControllerFacts): ControllerVerdict {
  const base = { hostName: dc.hostName, site: dc.site, isReadOnly: dc.isReadOnly };
  if (!dc.reachable || dc.currentBuild === null || dc.ubr === null) {
    return { ...base, build: 'unknown', status: 'unknown', requirement: dc.error ?? 'build and UBR could not be read' };
  }
  const build = `${dc.currentBuild}.${dc.ubr}`;
  if (dc.currentBuild < FIRST_SUPPORTED_BUILD) {
    return { ...base, build, status: 'unsupported-os', requirement: `${dc.operatingSystem || 'this OS'} (build ${dc.currentBuild}) is older than Windows Server 2016` };
  }
  const minimum = MINIMUMS.find((m) => m.build === dc.currentBuild);
  if (minimum && dc.ubr < minimum.ubr) return { ...base, build, status: 'needs-update', requirement: minimum.label };
  if (!minimum && dc.currentBuild < FIRST_BUILD_WITHOUT_EXTRA_UPDATE && dc.currentBuild !== 14393 && dc.currentBuild !== 17763) {
    return { ...base, build, status: 'unsupported-os', requirement: `build ${dc.currentBuild} is not a Windows Server LTSC release known to support cloud Kerberos trust` };
  }
  return { ...base, build, status: 'supported' };
}

export function assessDomain(inventory: InventoryFacts): PreflightAssessment {
  const domain = inventory.domain.dnsRoot;
  const findings: Finding[] = [];
  const controllers = inventory.controllers.map(judgeController);

  if (inventory.controllers.length === 0) {
    findings.push({ severity: 'blocker', code: 'no-domain-controllers', message: `no domain controllers found for ${domain}` });
  }
  for (const verdict of controllers) {
    if (verdict.status === 'needs-update') {
      findings.push({ severity: verdict.isReadOnly ? 'warning' : 'blocker', code: 'dc-below-minimum-build', target: verdict.hostName, message: `${verdict.hostName} is at ${verdict.build}: ${verdict.requirement}` });
    } else if (verdict.status === 'unsupported-os') {
      findings.push({ severity: 'warning', code: 'dc-unsupported-os', target: verdict.hostName, message: `${verdict.hostName}: ${verdict.requirement}; it cannot serve cloud Kerberos trust` });
    } else if (verdict.status === 'unknown') {
      // A DC that answered but whose registry could not be read is reachable: its patch level is unknown, not its reachability.
      const reached = inventory.controllers.find((dc) => dc.hostName === verdict.hostName)?.reachable === true;
      const code = reached ? 'dc-build-unknown' : 'dc-unreachable';
      const message = reached ? `${verdict.hostName} answered, but its build and UBR could not be read: ${verdict.requirement}` : `${verdict.hostName}: ${verdict.requirement}`;
      findings.push({ severity: 'warning', code, target: verdict.hostName, message });
    }
  }

  const sites = [...new Set(inventory.controllers.map((dc) => dc.site))].sort();
  for (const site of sites) {
    const inSite = controllers.filter((v) => v.site === site);
    const capableWritable = inSite.filter((v) => !v.isReadOnly && v.status === 'supported');
    if (inSite.every((v) => v.isReadOnly)) {
      findings.push({ severity: 'blocker', code: 'site-without-writable-dc', target: site, message: `site ${site} has only read-only DCs (${inSite.map((v) => v.hostName).join(', ')}); cloud Kerberos trust needs a writable DC in every site where users sign in` });
    } else if (capableWritable.length === 0) {
      findings.push({ severity: 'blocker', code: 'site-without-capable-writable-dc', target: site, message: `site ${site} has no writable DC at a supported build` });
    }
  }
  for (const site of inventory.forestSites.filter((s) => !sites.includes(s))) {
    findings.push({ severity: 'info', code: 'site-without-dc-of-domain', target: site, message: `site ${site} has no DC of ${domain}; its clients use another site's DCs` });
  }

  for (const dc of inventory.controllers) {
    if (dc.supportedEncryptionTypes !== null && (dc.supportedEncryptionTypes & AES256_HMAC_SHA1) === 0) {
      findings.push({ severity: 'blocker', code: 'aes256-not-allowed', target: dc.hostName, message: `${dc.hostName} restricts Kerberos encryption types (SupportedEncryptionTypes=0x${dc.supportedEncryptionTypes.toString(16)}) without AES256_HMAC_SHA1 (0x10)` });
    }
  }

  return { domain, ready: !findings.some((f) => f.severity === 'blocker'), controllers, findings };
}
