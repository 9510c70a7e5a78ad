import type { KeyAge } from './key-rotation';
import type { PolicyPicture } from './policy-conflicts';
import type { Finding, SiteCapacity } from './preflight';
import type { DomainReadiness } from './user-readiness';

/** What one step did, kept for the report. */
export interface StepRecord {
  step: string;
  status: 'ok' | 'failed' | 'skipped';
  changed: boolean;
  planOnly: boolean;
  changes: string[];
  warnings: string[];
  error?: { type: string; message: string };
  /** What a read-only check found (e.g. "replicated to 3 writable DCs"). */
  detail?: string;
  /** The clients.read-devices step: the verdict per sampled device, with its reasons and whose state it describes. */
  clients?: ClientVerdictRecord[];
  startedAt: string;
  finishedAt: string;
}

/** One sampled device in the report (model/client-assessment.ts assessments). */
export interface ClientVerdictRecord {
  name: string;
  assessment: string;
  reasons: string[];
  describes: string;
}

export type DomainStatus = 'pending' | 'running' | 'waiting-operator' | 'succeeded' | 'planned' | 'failed' | 'not-ready' | 'stopped';

export interface DomainReport {
  domain: string;
  ring: string;
  channel: 'gpo' | 'intune';
  taskQueue: string;
  status: DomainStatus;
  /** The step running now, or the last one. */
  step?: string;
  findings: Finding[];
  /** Per site, how many DCs can serve cloud Kerberos trust (absent in runs recorded before capacity readiness). */
  sites?: SiteCapacity[];
  /** Every source that configures WHfB on the domain's devices, per setting, read before anything changes. */
  policySources?: PolicyPicture;
  steps: StepRecord[];
  /** Shown while an MFA-protected admin must run the Kerberos command by hand. */
  operatorCommand?: string;
  /** Why the last operator confirmation was not accepted. */
  operatorRejection?: string;
  startedAt?: string;
  finishedAt?: string;
}

export type RolloutState = 'preflight' | 'preparing' | 'running' | 'waiting-approval' | 'paused' | 'completed' | 'halted' | 'cancelled';

export interface RingReport {
  name: string;
  status: 'pending' | 'waiting-approval' | 'running' | 'completed' | 'halted' | 'skipped';
  failures: number;
  failureBudget: number;
  approvedBy?: string;
  /** Users of the ring's userGroups who cannot use cloud trust, per domain, read before the ring's changes. */
  readiness?: DomainReadiness[];
}

export interface RolloutReport {
  name: string;
  tenant: string;
  mode: 'plan' | 'apply';
  specDigest: string;
  state: RolloutState;
  haltReason?: string;
  startedAt: string;
  finishedAt?: string;
  host: StepRecord[];
  conflicts: Finding[];
  rings: RingReport[];
  domains: DomainReport[];
}

/** Counts over one domain's report: what the parent of a batched rollout keeps instead of the report. */
export interface DomainCounts {
  steps: number;
  changed: number;
  failed: number;
  blockers: number;
  warnings: number;
}

/**
 * One domain in a batched rollout's own record: its status and counts, and where its full report is (its domain
 * child, or its batch when no child ran). In plan mode also what the plan would change (a drift check reads it).
 */
export interface DomainSummary {
  domain: string;
  channel: 'gpo' | 'intune';
  taskQueue: string;
  status: DomainStatus;
  step?: string;
  counts: DomainCounts;
  /** Which of the rollout's batches holds the domain (its preflight, and its report when no domain child ran); the batch names the ring. */
  batch: number;
  /** A domain child (`<rollout id>/domain/<domain>`) started and holds the domain's report. */
  child?: true;
  plan?: DomainPlanSummary;
  startedAt?: string;
  finishedAt?: string;
}

/** What a plan found for one domain, in the words of a drift report. */
export interface DomainPlanSummary {
  changes: string[];
  /** Planned changes beyond those listed (a summary lists a few; the domain's report has them all). */
  moreChanges?: number;
  problem?: string;
  policySources?: string[];
}

/** A batch of one ring's domains: a child workflow that preflights them, checks their users and runs their children. */
export interface BatchRef {
  workflowId: string;
  ring: string;
  domains: number;
  status: 'preflight' | 'preflighted' | 'running' | 'completed' | 'skipped' | 'failed';
}

/**
 * What a batched rollout itself returns and answers to its progress query: the rollout's own state with a summary
 * per domain. client/rollout-report.ts turns it into the full RolloutReport from its batches and domain children.
 */
export interface RolloutRecord extends Omit<RolloutReport, 'domains'> {
  layout: 'batched';
  /** The rollout's workflow id: its batches and domain children are named after it. */
  workflowId: string;
  batches: BatchRef[];
  domains: DomainSummary[];
}

export function isRolloutRecord(report: RolloutReport | RolloutRecord): report is RolloutRecord {
  return (report as RolloutRecord).layout === 'batched';
}

/** How one domain fared in an operations runbook (key rotation, rollback). */
export type RunbookDomainStatus = 'pending' | 'running' | 'succeeded' | 'planned' | 'skipped' | 'needs-operator' | 'failed';

export interface RunbookDomainReport {
  domain: string;
  channel: 'gpo' | 'intune';
  taskQueue: string;
  status: RunbookDomainStatus;
  /** The step running now, or the last one. */
  step?: string;
  steps: StepRecord[];
  /** The exact command an operator runs by hand when the Entra admin is MFA-protected. */
  operatorCommand?: string;
  /** Key rotation: the age of the key found before rotating, and its findings (key age, a reset outside the module). */
  keyAge?: KeyAge;
  findings?: Finding[];
  startedAt?: string;
  finishedAt?: string;
}

export interface RunbookReport {
  runbook: 'rotate-keys' | 'rollback' | 'migrate-intune';
  /** The spec's name. */
  name: string;
  tenant: string;
  mode: 'plan' | 'apply';
  /** What was asked, in words (e.g. "rotate the keys requested at …"). */
  request: string;
  state: 'running' | 'completed';
  startedAt: string;
  finishedAt?: string;
  domains: RunbookDomainReport[];
}

/** A drift check: the spec planned against the estate as it is now. Any planned change is drift. */
export interface DriftReport {
  name: string;
  tenant: string;
  checkedAt: string;
  /** The plan-mode rollout this check ran (its full report). */
  planWorkflowId: string;
  /** in-sync: nothing would change; drift: something would; incomplete: some domains could not be planned. */
  verdict: 'in-sync' | 'drift' | 'incomplete';
  domains: Array<{
    domain: string;
    status: DomainStatus;
    changes: string[];
    /** Changes beyond those listed: a rollout of many domains keeps a few per domain; its plan report has them all. */
    moreChanges?: number;
    problem?: string;
    /** The policy picture now, one line per source and value ("UseCloudTrustForOnPremAuth: GPO X (device) = 1"). */
    policySources?: string[];
    keyAge?: KeyAge;
    findings?: Finding[];
  }>;
  /** Changes planned on the management host (module install or upgrade). */
  hostChanges: string[];
}
