/**
 * How Windows Hello for Business ended up on a sampled client, from its dsregcmd /status fields and its
 * User Device Registration events. Pure and deterministic: usable in activities and workflows alike.
 *
 * Facts (reference: whfb-cloud-trust.md):
 * - §2.1: UseCloudTrustForOnPremAuth applies to 10.0.19044.1566 (KB5010415), 10.0.19045, 10.0.22000.527
 *   (KB5010414) and 10.0.22621 and later; older clients cannot use cloud Kerberos trust.
 * - §5.1: NgcSet YES = a Hello container exists; SSO State OnPremTgt YES = the cloud Kerberos ticket for
 *   on-premises resources; CertEnrollment `none` = not certificate trust, `enrollment authority` /
 *   `mobile device management` = certificate trust.
 * - §5.2: events 358 (provisioning will be launched), 360/362 (will not be launched), 300/301 (key registered /
 *   registration failed); 358/360 list "Cloud trust for on premise auth policy is enabled" and
 *   "User account has Cloud TGT". The message is rendered in the OS language, so the prerequisites are read from
 *   the event's EventData fields (language-neutral names and Yes/No/Not Tested values: LogonCertRequired,
 *   MachinePolicySource from the provider's manifest; the cloud-trust fields of newer builds matched by name,
 *   their exact names unsourced), and from the English message only when the event carries no such field.
 * - §8 (field report): NgcSet YES without OnPremTgt means the device provisioned key trust by mistake.
 *
 * dsregcmd's User State and SSO State describe the user running dsregcmd (whfb-since-2022.md §1.8: "run
 * non-elevated, as the user"). `collectedAs` says whose they are: the signed-in user (a scheduled task in that
 * user's session, or an Intune remediation run with the logged-on credentials) or the remoting account, whose
 * user fields say nothing about the device's user and are ignored (the machine-wide event log decides). Facts
 * without `collectedAs` (recorded before it existed) are read as before: the user fields count when NgcSet is YES.
 */

export type ClientAssessment = 'cloud-kerberos-trust' | 'key-trust-fallback' | 'certificate-trust' | 'not-provisioned' | 'not-eligible' | 'unreachable';

export const CLIENT_ASSESSMENTS: readonly ClientAssessment[] = ['cloud-kerberos-trust', 'key-trust-fallback', 'certificate-trust', 'not-provisioned', 'not-eligible', 'unreachable'];

/** Assessments recorded under their earlier names (histories and reports before the verdicts were renamed). */
export const LEGACY_ASSESSMENTS: Readonly<Record<string, ClientAssessment>> = { 'cloud-trust': 'cloud-kerberos-trust', 'key-trust': 'key-trust-fallback' };

export const isCloudKerberosTrust = (assessment: string) => assessment === 'cloud-kerberos-trust' || assessment === 'cloud-trust';

/** Whose dsregcmd User State and SSO State the facts carry. */
export type CollectedAs = 'signed-in-user' | 'remoting-account';

export interface ProvisioningEvent {
  id: number;
  /** ISO 8601. */
  timeCreated: string;
  level: number | null;
  /** Rendered in the OS language. */
  message: string;
  /** EventData fields by name (language-neutral); absent from samples taken before they were read. */
  data?: Record<string, string>;
}

export interface ClientFacts {
  name: string;
  /** Absent in facts recorded before it existed. */
  collectedAs?: CollectedAs;
  /** The user signed in at the console when collected in the user's session; null = nobody. */
  signedInUser?: string | null;
  reachable: boolean;
  error: string | null;
  /** CurrentBuild.UBR, e.g. "22631.4460". */
  osBuild: string | null;
  azureAdJoined: boolean | null;
  domainJoined: boolean | null;
  tenantId: string | null;
  ngcSet: boolean | null;
  onPremTgt: boolean | null;
  cloudTgt: boolean | null;
  azureAdPrt: boolean | null;
  /** Ngc Prerequisite Check: CertEnrollment (none | enrollment authority | mobile device management). */
  certEnrollment: string | null;
  /** Ngc Prerequisite Check: PolicyEnabled. */
  ngcPolicyEnabled: boolean | null;
  /** Ngc Prerequisite Check: PreReqResult (WillProvision | WillNotProvision). */
  preReqResult: string | null;
  /** Ngc Prerequisite Check: OnPremTGT (named CloudTGT before Windows 11 23H2). */
  prerequisiteOnPremTgt: boolean | null;
  /** Newest first or in any order; they are sorted here. */
  events: ProvisioningEvent[];
}

export interface ClientVerdict {
  assessment: ClientAssessment;
  reasons: string[];
  /** Whose state the verdict describes, e.g. "signed-in user CORP\\anna" or "remoting account (not the device's user)". */
  describes: string;
}

export interface AssessOptions {
  /** The rollout's tenant: a device joined to another tenant cannot use this tenant's Kerberos server object. */
  tenantId?: string;
}

// ---------------------------------------------------------------- OS build

export interface BuildVerdict {
  eligible: boolean | null;
  reason: string | null;
}

export function parseOsBuild(osBuild: string | null): { build: number; ubr: number } | null {
  const match = /^(?:10\.0\.)?(\d+)\.(\d+)$/.exec(osBuild?.trim() ?? '');
  return match ? { build: Number(match[1]), ubr: Number(match[2]) } : null;
}

export function judgeClientBuild(osBuild: string | null): BuildVerdict {
  const parsed = parseOsBuild(osBuild);
  if (!parsed) return { eligible: null, reason: osBuild ? `OS build "${osBuild}" could not be read` : null };
  const { build, ubr } = parsed;
  const shown = `${build}.${ubr}`;
  if (build === 19044) {
    return ubr >= 1566 ? ok() : notEligible(`build ${shown}: Windows 10 21H2 needs KB5010415 (19044.1566) or a later cumulative update`);
  }
  if (build === 19045 || build >= 22621) return ok();
  if (build === 22000) {
    return ubr >= 527 ? ok() : notEligible(`build ${shown}: Windows 11 21H2 needs KB5010414 (22000.527) or a later cumulative update`);
  }
  if (build < 19044) return notEligible(`build ${shown} is older than Windows 10 21H2 (19044.1566), the first client build with cloud Kerberos trust`);
  return notEligible(`build ${shown} is not a client build that applies UseCloudTrustForOnPremAuth (19044.1566, 19045, 22000.527, 22621 and later)`);
}

const ok = (): BuildVerdict => ({ eligible: true, reason: null });
const notEligible = (reason: string): BuildVerdict => ({ eligible: false, reason });

// ---------------------------------------------------------------- events

export interface PrerequisiteSnapshot {
  eventId: number;
  timeCreated: string;
  launched: boolean;
  cloudTrustPolicy: 'yes' | 'no' | null;
  cloudTgt: 'yes' | 'no' | 'not-tested' | null;
  certificatePolicy: 'yes' | 'no' | null;
  governedBy: string | null;
}

function yesNo(text: string, label: RegExp): 'yes' | 'no' | null {
  const match = new RegExp(`${label.source}\\s*:\\s*(yes|no)\\b`, 'i').exec(text);
  return match ? (match[1].toLowerCase() as 'yes' | 'no') : null;
}

/** An EventData field whose name passes `matches`; undefined when the event has none. */
function field(event: ProvisioningEvent, matches: (name: string) => boolean): string | undefined {
  const entry = Object.entries(event.data ?? {}).find(([name]) => matches(name));
  return entry ? entry[1].trim().toLowerCase() : undefined;
}

const yesNoValue = (value: string): 'yes' | 'no' | null => (value === 'yes' || value === 'no' ? value : null);
const isCloudTrustPolicy = (name: string) => /cloud/i.test(name) && /trust/i.test(name) && !/tgt/i.test(name);
const isCloudTgt = (name: string) => /tgt/i.test(name);

/** Reads the prerequisites of a 358/360/362 event: its EventData fields, else the English lines of its message. */
export function readPrerequisiteEvent(event: ProvisioningEvent): PrerequisiteSnapshot {
  const tgt = /User account has Cloud TGT\s*:\s*(yes|no|not tested)\b/i.exec(event.message);
  const governed = /Machine is governed by\s+(.+?)\s+policy/i.exec(event.message);
  const policyField = field(event, isCloudTrustPolicy);
  const tgtField = field(event, isCloudTgt);
  const certificateField = field(event, (name) => name.toLowerCase() === 'logoncertrequired');
  const sourceField = field(event, (name) => name.toLowerCase() === 'machinepolicysource');
  const tgtText = tgtField ?? tgt?.[1].toLowerCase();
  return {
    eventId: event.id,
    timeCreated: event.timeCreated,
    launched: event.id === 358,
    cloudTrustPolicy: policyField !== undefined ? yesNoValue(policyField) : yesNo(event.message, /Cloud trust for on premise auth policy is enabled/),
    cloudTgt: tgtText === 'yes' || tgtText === 'no' ? tgtText : tgtText === 'not tested' ? 'not-tested' : null,
    certificatePolicy: certificateField !== undefined ? yesNoValue(certificateField) : yesNo(event.message, /User certificate for on premise auth policy is enabled/),
    governedBy: sourceField !== undefined ? sourceField || null : governed ? governed[1].trim().toLowerCase() : null,
  };
}

function newestFirst(events: readonly ProvisioningEvent[]): ProvisioningEvent[] {
  const time = (e: ProvisioningEvent) => {
    const t = Date.parse(e.timeCreated);
    return Number.isNaN(t) ? 0 : t;
  };
  return [...events].sort((a, b) => time(b) - time(a));
}

// ---------------------------------------------------------------- assessment

const CERTIFICATE_TRUST_SOURCES = ['enrollment authority', 'mobile device management'];

const normaliseGuid = (value: string) => value.trim().replace(/^\{|\}$/g, '').toLowerCase();

export function assessClient(given: ClientFacts, options: AssessOptions = {}): ClientVerdict {
  const describes = describeSubject(given);
  const verdict = assessFacts(ignoreRemotingUser(given), options);
  if (given.collectedAs === 'remoting-account' && verdict.assessment !== 'unreachable') {
    verdict.reasons.push("dsregcmd ran over remoting: its User State and SSO State describe the remoting account, not the device's user, and were not used");
  }
  return { ...verdict, describes };
}

function describeSubject(facts: ClientFacts): string {
  if (facts.collectedAs === 'remoting-account') return "remoting account (not the device's user)";
  if (facts.collectedAs === 'signed-in-user') return facts.signedInUser ? `signed-in user ${facts.signedInUser}` : 'nobody signed in';
  return 'the sampling session';
}

/** The remoting account's user fields say nothing about the device's user: only device fields and events remain. */
function ignoreRemotingUser(facts: ClientFacts): ClientFacts {
  if (facts.collectedAs !== 'remoting-account') return facts;
  return { ...facts, ngcSet: null, onPremTgt: null, cloudTgt: null, azureAdPrt: null, certEnrollment: null, preReqResult: null, prerequisiteOnPremTgt: null };
}

function assessFacts(facts: ClientFacts, options: AssessOptions): Omit<ClientVerdict, 'describes'> {
  if (!facts.reachable) {
    return { assessment: 'unreachable', reasons: [facts.error ?? 'the device did not answer'] };
  }
  if (facts.error !== null) {
    return { assessment: 'unreachable', reasons: [`the device answered but could not be sampled: ${facts.error}`] };
  }

  const blockers: string[] = [];
  const build = judgeClientBuild(facts.osBuild);
  if (build.eligible === false && build.reason) blockers.push(build.reason);
  if (facts.azureAdJoined === false) {
    blockers.push('AzureAdJoined NO: the device is not joined to Microsoft Entra ID (hybrid or Entra join is required)');
  }
  if (options.tenantId && facts.tenantId && normaliseGuid(facts.tenantId) !== normaliseGuid(options.tenantId)) {
    blockers.push(`joined to tenant ${facts.tenantId}, not to the rollout's tenant ${options.tenantId}`);
  }
  if (facts.collectedAs === 'signed-in-user' && !facts.signedInUser) {
    blockers.push('nobody signed in: no user session to read the Hello container and Kerberos tickets of (sample again while a user is signed in)');
  }
  if (blockers.length > 0) return { assessment: 'not-eligible', reasons: blockers };

  const notes: string[] = [];
  if (build.eligible === null && build.reason) notes.push(build.reason);

  const ordered = newestFirst(facts.events);
  const keyEvent = ordered.find((e) => e.id === 300 || e.id === 301);
  const prerequisiteEvent = ordered.find((e) => e.id === 358 || e.id === 360 || e.id === 362);
  const prerequisites = prerequisiteEvent ? readPrerequisiteEvent(prerequisiteEvent) : null;

  const sessionUserProvisioned = facts.ngcSet === true;
  const keyRegistered = keyEvent?.id === 300;
  // In the signed-in user's own session, NgcSet NO is that user's answer: a key event of another user does not count.
  const userAnswered = facts.collectedAs === 'signed-in-user' && facts.ngcSet === false;
  if (sessionUserProvisioned || (keyRegistered && !userAnswered)) {
    return judgeProvisioned(facts, prerequisites, sessionUserProvisioned, notes);
  }
  return { assessment: 'not-provisioned', reasons: [...notes, ...whyNotProvisioned(facts, prerequisites, keyEvent)] };
}

function judgeProvisioned(facts: ClientFacts, prerequisites: PrerequisiteSnapshot | null, sessionUserProvisioned: boolean, notes: string[]): Omit<ClientVerdict, 'describes'> {
  const reasons = [...notes];
  if (sessionUserProvisioned) reasons.push('NgcSet YES: a Windows Hello for Business container exists');
  else reasons.push('event 300: a Windows Hello for Business key was registered on this device (NgcSet describes the sampling session, not the device user)');

  const certificateSource = sessionUserProvisioned && facts.certEnrollment && CERTIFICATE_TRUST_SOURCES.includes(facts.certEnrollment.toLowerCase())
    ? facts.certEnrollment
    : prerequisites?.governedBy && CERTIFICATE_TRUST_SOURCES.includes(prerequisites.governedBy)
      ? prerequisites.governedBy
      : prerequisites?.launched && prerequisites.certificatePolicy === 'yes'
        ? 'UseCertificateForOnPremAuth enabled at provisioning'
        : null;
  if (certificateSource) {
    reasons.push(
      `certificate trust (${certificateSource}) instead of cloud Kerberos trust: clear UseCertificateForOnPremAuth, then delete the container (certutil -deletehellocontainer) and re-provision`,
    );
    return { assessment: 'certificate-trust', reasons };
  }

  if (sessionUserProvisioned && facts.onPremTgt === true) {
    reasons.push('OnPremTgt YES: the cloud Kerberos ticket for on-premises resources is present');
    return { assessment: 'cloud-kerberos-trust', reasons };
  }
  if (sessionUserProvisioned && facts.onPremTgt === false) {
    const certNone = facts.certEnrollment?.toLowerCase() === 'none' ? ' and CertEnrollment none' : '';
    reasons.push(
      `OnPremTgt NO${certNone}: provisioned with key trust by mistake (the cloud-trust policy was not in effect when the container was created); fix the policy, then re-provision`,
    );
    return { assessment: 'key-trust-fallback', reasons };
  }
  if (prerequisites?.cloudTrustPolicy === 'yes' && prerequisites.cloudTgt === 'yes') {
    reasons.push(`event ${prerequisites.eventId}: cloud trust policy enabled and the user account has a cloud TGT`);
    return { assessment: 'cloud-kerberos-trust', reasons };
  }
  if (prerequisites?.cloudTrustPolicy === 'no') {
    reasons.push(`event ${prerequisites.eventId}: cloud trust for on-premises auth policy was not enabled at provisioning: key trust; fix the policy, then re-provision`);
    return { assessment: 'key-trust-fallback', reasons };
  }
  reasons.push('no evidence of cloud Kerberos trust (OnPremTgt not reported, no event naming the cloud-trust policy): treated as key trust');
  return { assessment: 'key-trust-fallback', reasons };
}

function whyNotProvisioned(facts: ClientFacts, prerequisites: PrerequisiteSnapshot | null, keyEvent: ProvisioningEvent | undefined): string[] {
  const reasons: string[] = [];
  if (keyEvent?.id === 301) reasons.push('event 301: the Windows Hello for Business key registration failed');
  if (facts.preReqResult) reasons.push(`PreReqResult ${facts.preReqResult}`);
  if (facts.ngcPolicyEnabled === false) reasons.push('PolicyEnabled NO: Windows Hello for Business is not enabled by policy');
  if (prerequisites && !prerequisites.launched) {
    reasons.push(`event ${prerequisites.eventId}: provisioning will not be launched`);
    if (prerequisites.cloudTrustPolicy === 'no') reasons.push('the cloud trust for on-premises auth policy is not in effect');
    if (prerequisites.cloudTgt === 'no') reasons.push('the user account has no cloud TGT (needs a writable DC in line of sight at sign-in)');
    if (prerequisites.certificatePolicy === 'yes') reasons.push('UseCertificateForOnPremAuth is enabled: certificate trust takes precedence');
  }
  if (facts.azureAdPrt === false) reasons.push('AzureAdPrt NO: no Primary Refresh Token for the sampled user');
  if (reasons.length === 0) reasons.push('no Windows Hello for Business container and no provisioning event yet (users provision at their next sign-in)');
  return reasons;
}
