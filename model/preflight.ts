/**
 * Preflight assessment of one domain, from its inventory. Pure and deterministic: used inside workflows.
 * Minimums (Microsoft's planning guide, "Windows Server requirements"): Server 2016 needs KB4534307 = 14393.3474,
 * Server 2019 needs KB4534321 = 17763.1012, Server 2022 (20348) and Server 2025 (26100) need nothing extra,
 * anything older than 2016 is unsupported. Decided by CurrentBuild and UBR, never by Get-HotFix.
 *
 * Capacity (the deploy guide: "an adequate number of read-write domain controllers in each Active Directory site
 * where users authenticate"; the FAQ: only as many as the load needs, at least one writable DC per site): clients
 * find capable DCs with the keylist flag, so an unpatched writable DC is a warning while its site still has enough
 * capable writable DCs, and a site below the minimum blocks the domain.
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
  /** The Windows Server release the build belongs to, when known. */
  release?: string;
  requirement?: string;
}

/** How many DCs of one site can serve cloud Kerberos trust. */
export interface SiteCapacity {
  site: string;
  writable: number;
  readOnly: number;
  /** Writable, reached, at a supported build: the DCs that can exchange a partial TGT. */
  capableWritable: number;
  required: number;
  status: 'ok' | 'below-minimum' | 'read-only-only' | 'none-capable';
}

export interface PreflightAssessment {
  domain: string;
  ready: boolean;
  controllers: ControllerVerdict[];
  findings: Finding[];
  /** Present when the assessment counted capacity per site (AssessmentPolicy.capacity). */
  sites?: SiteCapacity[];
}

export interface AssessmentPolicy {
  /**
   * Judge by capable writable DCs per site. Without it (runs recorded before capacity readiness), any writable DC
   * below the minimum build blocks the domain.
   */
  capacity: boolean;
  /** Capable writable DCs each site needs; default 1. */
  minimumCapableWritablePerSite?: number;
}

const AES256_HMAC_SHA1 = 0x10;

const MINIMUMS: Array<{ build: number; ubr: number; label: string }> = [
  { build: 14393, ubr: 3474, label: 'Windows Server 2016 needs KB4534307 (14393.3474) or a later cumulative update' },
  { build: 17763, ubr: 1012, label: 'Windows Server 2019 needs KB4534321 (17763.1012) or a later cumulative update' },
];
const FIRST_BUILD_WITHOUT_EXTRA_UPDATE = 20348;
const FIRST_SUPPORTED_BUILD = 14393;
const RELEASES = new Map([
  [14393, 'Windows Server 2016'],
  [17763, 'Windows Server 2019'],
  [20348, 'Windows Server 2022'],
  [26100, 'Windows Server 2025'],
]);

export function judgeController(dc: ControllerFacts): ControllerVerdict {
  const release = dc.currentBuild === null ? undefined : RELEASES.get(dc.currentBuild);
  const base = { hostName: dc.hostName, site: dc.site, isReadOnly: dc.isReadOnly, ...(release ? { release } : {}) };
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

export function assessDomain(inventory: InventoryFacts, policy: AssessmentPolicy = { capacity: false }): PreflightAssessment {
  const domain = inventory.domain.dnsRoot;
  const findings: Finding[] = [];
  const controllers = inventory.controllers.map(judgeController);
  const sites = [...new Set(inventory.controllers.map((dc) => dc.site))].sort();
  const capacity = policy.capacity ? sites.map((site) => siteCapacity(site, controllers, policy.minimumCapableWritablePerSite ?? 1)) : undefined;
  const capacityOf = (site: string) => capacity?.find((c) => c.site === site);

  if (inventory.controllers.length === 0) {
    findings.push({ severity: 'blocker', code: 'no-domain-controllers', message: `no domain controllers found for ${domain}` });
  }
  for (const verdict of controllers) {
    if (verdict.status === 'needs-update') {
      const site = capacityOf(verdict.site);
      const covered = site !== undefined && site.status === 'ok';
      const severity = verdict.isReadOnly || covered ? 'warning' : 'blocker';
      const coverage = covered ? `; site ${verdict.site} still has ${site.capableWritable} capable writable DC${site.capableWritable === 1 ? '' : 's'} (${site.required} required), so it does not block` : '';
      findings.push({ severity, code: 'dc-below-minimum-build', target: verdict.hostName, message: `${verdict.hostName} is at ${verdict.build}: ${verdict.requirement}${coverage}` });
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

  for (const site of sites) {
    const inSite = controllers.filter((v) => v.site === site);
    const capableWritable = inSite.filter((v) => !v.isReadOnly && v.status === 'supported');
    const counted = capacityOf(site);
    if (inSite.every((v) => v.isReadOnly)) {
      findings.push({ severity: 'blocker', code: 'site-without-writable-dc', target: site, message: `site ${site} has only read-only DCs (${inSite.map((v) => v.hostName).join(', ')}); cloud Kerberos trust needs a writable DC in every site where users sign in` });
    } else if (capableWritable.length === 0) {
      findings.push({ severity: 'blocker', code: 'site-without-capable-writable-dc', target: site, message: `site ${site} has no writable DC at a supported build` });
    } else if (counted?.status === 'below-minimum') {
      findings.push({ severity: 'blocker', code: 'site-below-dc-capacity', target: site, message: `site ${site} has ${counted.capableWritable} writable DC${counted.capableWritable === 1 ? '' : 's'} that can serve cloud Kerberos trust (${capableWritable.map((v) => v.hostName).join(', ')}); the spec asks for ${counted.required} per site` });
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

  return { domain, ready: !findings.some((f) => f.severity === 'blocker'), controllers, findings, ...(capacity ? { sites: capacity } : {}) };
}

function siteCapacity(site: string, controllers: ControllerVerdict[], required: number): SiteCapacity {
  const inSite = controllers.filter((v) => v.site === site);
  const writable = inSite.filter((v) => !v.isReadOnly).length;
  const capableWritable = inSite.filter((v) => !v.isReadOnly && v.status === 'supported').length;
  const status = writable === 0 ? 'read-only-only' : capableWritable === 0 ? 'none-capable' : capableWritable < required ? 'below-minimum' : 'ok';
  return { site, writable, readOnly: inSite.length - writable, capableWritable, required, status };
}
