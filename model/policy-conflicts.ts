/**
 * The policy picture of one domain: every source that configures Windows Hello for Business on its devices (GPOs in
 * computer and user scope, Intune custom OMA-URI profiles, identity-protection templates, settings-catalog and
 * Endpoint Security account-protection policies, the tenant-wide enrollment configuration), what each sets per
 * setting, and the conflicts among them. Pure and deterministic: used inside workflows.
 * Facts (Microsoft's cloud Kerberos trust deployment guide, policy conflicts): UseCertificateForOnPremAuth must not be
 * configured (certificate trust takes precedence); when Group Policy and Intune both configure WHfB, Group Policy wins
 * and Intune is ignored; UseCloudTrustForOnPremAuth is a device setting (in user scope it is ineffective,
 * windows-itpro-docs #11440).
 */
import type { Finding } from './preflight';

export const PICTURE_SETTINGS = ['UsePassportForWork', 'UseCloudTrustForOnPremAuth', 'UseCertificateForOnPremAuth', 'RequireSecurityDevice'] as const;
export type PictureSetting = (typeof PICTURE_SETTINGS)[number];

export type SourceKind = 'gpo' | 'custom-profile' | 'identity-protection' | 'settings-catalog' | 'account-protection' | 'enrollment';

/** How a source reaches the domain's devices: linked at/above/below the targets, linked in the domain, assigned to groups, to all, tenant-wide, or not at all. */
export type SourceReach = 'targets' | 'domain' | 'groups' | 'all' | 'tenant' | 'none';

export interface SourceValue {
  setting: PictureSetting;
  scope: 'device' | 'user';
  /** As the source states it (1, true, …_true, enabled, windowsHelloForBusinessBlocked). */
  value: string;
  /** On, off, or neither (a GPO setting that deletes the value). */
  enabled: boolean | null;
}

export interface PolicySource {
  channel: 'gpo' | 'intune';
  kind: SourceKind;
  id: string;
  name: string;
  reach: SourceReach;
  /** In words: where it is linked or to whom it is assigned. */
  reachNote: string;
  /** The GPO or profile this rollout manages. */
  ours: boolean;
  values: SourceValue[];
}

export interface SettingEntry {
  source: string;
  kind: SourceKind;
  scope: 'device' | 'user';
  value: string;
  ours: boolean;
}

export interface ChannelRead {
  status: 'read' | 'not-read' | 'failed';
  note?: string;
}

export interface PolicyPicture {
  read: { gpo: ChannelRead; intune: ChannelRead };
  /** Every source with a WHfB setting, those that do not reach the devices included (reach 'none'). */
  sources: PolicySource[];
  /** Per setting, the sources that reach the devices and set it. */
  settings: Array<{ setting: PictureSetting; entries: SettingEntry[] }>;
  findings: Finding[];
}

// ---------------------------------------------------------------- the scans, as the picture needs them

export interface GpoScanFacts {
  gpos: Array<{
    id: string;
    displayName: string;
    status: string;
    values: Array<{ scope: 'Computer' | 'User'; key: string; valueName: string; value: number | string | null; policyState: string }>;
    links: Array<{ target: string; enabled: boolean }>;
  }>;
}

interface AssignmentFacts {
  targetType: string;
  groupId: string | null;
}

export interface IntuneScanFacts {
  intuneUsable: boolean;
  profiles: Array<{
    id: string;
    displayName: string;
    odataType: string;
    settings: Array<{ omaUri: string; value: boolean | number | string | null }>;
    usePassportForWork: boolean | null;
    certificateTrustEnabled: boolean;
    assignments: AssignmentFacts[];
    template?: { windowsHelloForBusinessBlocked: boolean; useCertificatesForOnPremisesAuthEnabled: boolean; securityDeviceRequired: boolean } | null;
  }>;
  catalogPolicies?: Array<{ id: string; name: string; templateFamily: string; settings: Array<{ settingDefinitionId: string; value: string | null }>; assignments: AssignmentFacts[] }>;
  enrollmentState?: 'enabled' | 'disabled' | 'notConfigured' | 'unknown';
}

export type ScanOutcome<T> = { status: 'read'; facts: T } | { status: 'not-read' | 'failed'; note: string };

export interface PictureInput {
  domain: string;
  domainDn?: string;
  channel: 'gpo' | 'intune';
  /** The gpo channel's target OUs (empty for the intune channel). */
  targets: string[];
  ours: { gpo?: string; intune?: string[] };
  gpo: ScanOutcome<GpoScanFacts>;
  intune: ScanOutcome<IntuneScanFacts>;
}

// ---------------------------------------------------------------- sources

const IDENTITY_PROTECTION = '#microsoft.graph.windowsIdentityProtectionConfiguration';
const GPO_NAMES: Record<string, PictureSetting> = { enabled: 'UsePassportForWork', usecloudtrustforonpremauth: 'UseCloudTrustForOnPremAuth', usecertificateforonpremauth: 'UseCertificateForOnPremAuth', requiresecuritydevice: 'RequireSecurityDevice' };
const CSP_NAMES: Record<string, PictureSetting> = Object.fromEntries(PICTURE_SETTINGS.map((s) => [s.toLowerCase(), s]));
const OMA_URI = /^\.\/(Device|User)\/Vendor\/MSFT\/PassportForWork\/[^/]+\/Policies\/([A-Za-z]+)$/i;
const CATALOG_ID = /^(device|user)_vendor_msft_passportforwork_\{tenantid\}_policies_([a-z]+)$/i;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const dn = (value: string) => value.replace(/\s*,\s*/g, ',').toLowerCase();
/** `inner` is `outer` or lies below it in the directory tree. */
const within = (inner: string, outer: string) => dn(inner) === dn(outer) || dn(inner).endsWith(`,${dn(outer)}`);

function onOff(value: unknown): boolean | null {
  const text = String(value).toLowerCase();
  if (/(^|_)(true|1|enabled)$/.test(text)) return true;
  if (/(^|_)(false|0|disabled)$/.test(text)) return false;
  return null;
}

function gpoReach(links: GpoScanFacts['gpos'][number]['links'], input: PictureInput): { reach: SourceReach; reachNote: string } {
  const enabled = links.filter((l) => l.enabled);
  if (enabled.length === 0) return { reach: 'none', reachNote: links.length ? 'its links are disabled' : 'not linked' };
  const domainRoot = enabled.find((l) => /^dc=/i.test(l.target.trim()) && (!input.domainDn || within(input.domainDn, l.target)));
  if (input.targets.length > 0) {
    const above = enabled.filter((l) => input.targets.some((t) => within(t, l.target)));
    const below = enabled.filter((l) => input.targets.some((t) => within(l.target, t) && !within(t, l.target)));
    if (above.length > 0) return { reach: 'targets', reachNote: `linked to ${above.map((l) => l.target).join(', ')} (at or above the targets)` };
    if (below.length > 0) return { reach: 'targets', reachNote: `linked to ${below.map((l) => l.target).join(', ')} (inside the targets)` };
    return { reach: 'none', reachNote: `linked to ${enabled.map((l) => l.target).join(', ')}, outside the targets` };
  }
  if (domainRoot) return { reach: 'domain', reachNote: `linked to the domain (${domainRoot.target})` };
  return { reach: 'domain', reachNote: `linked to ${enabled.map((l) => l.target).join(', ')}; which of the rollout's devices sit there is not computed` };
}

function gpoSources(facts: GpoScanFacts, input: PictureInput): PolicySource[] {
  return facts.gpos.flatMap((gpo) => {
    const values: SourceValue[] = [];
    for (const v of gpo.values) {
      if (!/\\PassportForWork$/i.test(v.key)) continue;
      const setting = GPO_NAMES[v.valueName.toLowerCase()];
      if (!setting) continue;
      if (v.scope === 'Computer' && /^(ComputerSettingsDisabled|AllSettingsDisabled)$/.test(gpo.status)) continue;
      if (v.scope === 'User' && /^(UserSettingsDisabled|AllSettingsDisabled)$/.test(gpo.status)) continue;
      const deleted = v.policyState === 'Delete';
      values.push({ setting, scope: v.scope === 'Computer' ? 'device' : 'user', value: deleted ? 'deleted' : String(v.value), enabled: deleted ? null : onOff(v.value) });
    }
    if (values.length === 0) return [];
    const ours = input.ours.gpo !== undefined && same(gpo.displayName, input.ours.gpo);
    return [{ channel: 'gpo' as const, kind: 'gpo' as const, id: gpo.id, name: gpo.displayName, ...gpoReach(gpo.links, input), ours, values }];
  });
}

function assignmentReach(assignments: AssignmentFacts[]): { reach: SourceReach; reachNote: string } {
  if (assignments.some((a) => a.targetType === 'allDevices')) return { reach: 'all', reachNote: 'assigned to all devices' };
  if (assignments.some((a) => a.targetType === 'allLicensedUsers')) return { reach: 'all', reachNote: 'assigned to all users' };
  const groups = assignments.filter((a) => a.targetType === 'group').length;
  if (groups > 0) return { reach: 'groups', reachNote: `assigned to ${groups} group${groups === 1 ? '' : 's'}; whether this domain's devices are members is not computed` };
  return { reach: 'none', reachNote: 'not assigned' };
}

function intuneSources(facts: IntuneScanFacts, input: PictureInput): PolicySource[] {
  const ours = (name: string) => (input.ours.intune ?? []).some((n) => same(n, name));
  const sources: PolicySource[] = [];
  for (const profile of facts.profiles) {
    const values: SourceValue[] = [];
    if (profile.odataType === IDENTITY_PROTECTION) {
      const template = profile.template;
      if (template?.windowsHelloForBusinessBlocked || (!template && profile.usePassportForWork === false)) values.push({ setting: 'UsePassportForWork', scope: 'device', value: 'windowsHelloForBusinessBlocked', enabled: false });
      if (template ? template.useCertificatesForOnPremisesAuthEnabled : profile.certificateTrustEnabled) values.push({ setting: 'UseCertificateForOnPremAuth', scope: 'device', value: 'useCertificatesForOnPremisesAuthEnabled', enabled: true });
      if (template?.securityDeviceRequired) values.push({ setting: 'RequireSecurityDevice', scope: 'device', value: 'securityDeviceRequired', enabled: true });
    }
    for (const s of profile.settings) {
      const match = OMA_URI.exec(s.omaUri);
      const setting = match && CSP_NAMES[match[2].toLowerCase()];
      if (!match || !setting) continue;
      values.push({ setting, scope: match[1].toLowerCase() === 'user' ? 'user' : 'device', value: String(s.value), enabled: onOff(s.value) });
    }
    const kind = profile.odataType === IDENTITY_PROTECTION ? 'identity-protection' : 'custom-profile';
    sources.push({ channel: 'intune', kind, id: profile.id, name: profile.displayName, ...assignmentReach(profile.assignments), ours: ours(profile.displayName), values });
  }
  for (const policy of facts.catalogPolicies ?? []) {
    const values: SourceValue[] = [];
    for (const s of policy.settings) {
      const match = CATALOG_ID.exec(s.settingDefinitionId);
      const setting = match && CSP_NAMES[match[2].toLowerCase()];
      if (!match || !setting) continue;
      values.push({ setting, scope: match[1].toLowerCase() === 'user' ? 'user' : 'device', value: s.value ?? 'null', enabled: onOff(s.value) });
    }
    const kind = policy.templateFamily === 'endpointSecurityAccountProtection' ? 'account-protection' : 'settings-catalog';
    sources.push({ channel: 'intune', kind, id: policy.id, name: policy.name, ...assignmentReach(policy.assignments), ours: ours(policy.name), values });
  }
  if (facts.enrollmentState === 'enabled' || facts.enrollmentState === 'disabled') {
    sources.push({
      channel: 'intune',
      kind: 'enrollment',
      id: 'DefaultWindowsHelloForBusiness',
      name: 'tenant-wide WHfB enrollment configuration',
      reach: 'tenant',
      reachNote: 'every Intune-enrolled device, at enrollment only',
      ours: false,
      values: [{ setting: 'UsePassportForWork', scope: 'device', value: facts.enrollmentState, enabled: facts.enrollmentState === 'enabled' }],
    });
  }
  return sources.filter((s) => s.values.length > 0);
}

// ---------------------------------------------------------------- findings

const KIND_LABEL: Record<SourceKind, string> = {
  gpo: 'GPO',
  'custom-profile': 'Intune custom profile',
  'identity-protection': 'Intune identity-protection profile',
  'settings-catalog': 'Intune settings-catalog policy',
  'account-protection': 'Intune account-protection policy',
  enrollment: 'Intune',
};

export const sourceLabel = (s: Pick<PolicySource, 'kind' | 'name'>) => (s.kind === 'enrollment' ? `the ${s.name}` : `${KIND_LABEL[s.kind]} ${s.name}`);

function findingsOf(sources: PolicySource[], input: PictureInput): Finding[] {
  const findings: Finding[] = [];
  const reaching = sources.filter((s) => s.reach !== 'none');
  for (const source of reaching) {
    const where = `(${source.reachNote})`;
    for (const v of source.values.filter((x) => x.setting === 'UseCertificateForOnPremAuth' && x.enabled === true)) {
      findings.push({ severity: 'blocker', code: 'policy-certificate-trust', target: source.name, message: `${sourceLabel(source)} enables UseCertificateForOnPremAuth in ${v.scope} scope ${where}: certificate trust takes precedence over cloud Kerberos trust` });
    }
    for (const _value of source.values.filter((x) => x.setting === 'UseCloudTrustForOnPremAuth' && x.scope === 'user')) {
      findings.push({ severity: 'warning', code: 'policy-device-setting-in-user-scope', target: source.name, message: `${sourceLabel(source)} sets UseCloudTrustForOnPremAuth in user scope ${where}: it is a device setting, ineffective there (windows-itpro-docs #11440)` });
    }
    if (source.kind !== 'enrollment' && !source.ours && source.values.some((x) => x.setting === 'UsePassportForWork' && x.enabled === false)) {
      // Group Policy wins over Intune, so an Intune "off" only matters where Intune is the channel.
      const severity = source.channel === 'gpo' || input.channel === 'intune' ? 'blocker' : 'warning';
      const effect = severity === 'blocker' ? 'devices that get it never provision' : 'Group Policy wins on devices that also get the rollout GPO; devices without it never provision';
      findings.push({ severity, code: 'policy-whfb-disabled', target: source.name, message: `${sourceLabel(source)} turns Windows Hello for Business off ${where} where this rollout enables it: ${effect}` });
    }
  }
  const gpos = reaching.filter((s) => s.channel === 'gpo');
  const intune = reaching.filter((s) => s.channel === 'intune' && s.kind !== 'enrollment');
  const names = (list: PolicySource[]) => list.map((s) => `${s.name} (${s.reachNote})`).join('; ');
  if (input.channel === 'intune' && gpos.length > 0) {
    findings.push({ severity: 'blocker', code: 'policy-both-channels', message: `GPOs configure WHfB on this domain's computers (${names(gpos)}) while the rollout uses Intune: Group Policy wins and the Intune settings are ignored` });
  } else if (input.channel === 'gpo' && intune.length > 0) {
    findings.push({ severity: 'warning', code: 'policy-both-channels', message: `Intune policies also configure WHfB (${names(intune)}): on devices that get both, Group Policy wins and Intune is ignored; Intune group membership is not compared with the GPO targets` });
  }
  return findings;
}

function readOf(outcome: ScanOutcome<unknown>, unlicensed = false): ChannelRead {
  if (outcome.status !== 'read') return { status: outcome.status, note: outcome.note };
  return unlicensed ? { status: 'read', note: 'Intune is not usable in this tenant (no licence): no Intune policy applies' } : { status: 'read' };
}

/** The picture of one domain from its GPO scan and the tenant's Intune scan (either may be missing). */
export function buildPolicyPicture(input: PictureInput): PolicyPicture {
  const sources = [...(input.gpo.status === 'read' ? gpoSources(input.gpo.facts, input) : []), ...(input.intune.status === 'read' ? intuneSources(input.intune.facts, input) : [])];
  const settings = PICTURE_SETTINGS.map((setting) => ({
    setting,
    entries: sources
      .filter((s) => s.reach !== 'none')
      .flatMap((s) => s.values.filter((v) => v.setting === setting).map((v) => ({ source: sourceLabel(s), kind: s.kind, scope: v.scope, value: v.value, ours: s.ours }))),
  }));
  const findings = findingsOf(sources, input);
  if (input.intune.status === 'read' && input.intune.facts.enrollmentState === 'unknown' && input.intune.facts.intuneUsable) {
    findings.push({ severity: 'info', code: 'policy-enrollment-not-read', message: 'the tenant-wide WHfB enrollment configuration could not be read (DeviceManagementServiceConfig.Read.All): its state is not in the picture' });
  }
  // Elsewhere the picture's read status says it; a failed GPO scan is a blocker of its own.
  if (input.channel === 'intune' && input.intune.status !== 'read') {
    findings.push({ severity: 'info', code: 'policy-channel-not-read', message: `Intune was ${input.intune.status === 'failed' ? 'not readable' : 'not read'}: ${input.intune.note}; the policy picture lacks its sources` });
  }
  const unlicensed = input.intune.status === 'read' && !input.intune.facts.intuneUsable;
  return { read: { gpo: readOf(input.gpo), intune: readOf(input.intune, unlicensed) }, sources, settings, findings };
}

/** One line per source and value, stable: what a drift check compares. */
export function pictureLines(picture: PolicyPicture): string[] {
  return picture.settings.flatMap((row) => row.entries.map((e) => `${row.setting}: ${e.source} (${e.scope}) = ${e.value}`)).sort();
}
