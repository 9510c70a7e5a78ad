import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { DomainTenantConflictError, domainsMemo, domainsOfOtherTenants } from './domain-tenants';
import { TriggerError } from './errors';
import { isRolloutRecord, type DomainReport, type RolloutReport } from '../model/report-types';
import { wholeReport } from './rollout-report';
import { runSearchAttributes } from '../model/search-attributes';
import type { RolloutSpec } from '../model/spec';
import { domainProgressQuery, rolloutProgressQuery } from '../workflows/messages';
import { rollout } from '../workflows/rollout';
import { withCurrentStepNames } from '../model/step-names';

/** A digest of the validated spec: the same spec always gives the same digest (key order does not matter). */
export function specDigest(spec: RolloutSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Deterministic ids: one apply per spec name at a time; a plan per spec content. */
export function rolloutWorkflowId(spec: RolloutSpec, mode: 'plan' | 'apply', digest = specDigest(spec)): string {
  return mode === 'apply' ? `cloudtrust:${spec.name}` : `cloudtrust-plan:${spec.name}:${digest.slice(0, 12)}`;
}

export class RolloutConflictError extends TriggerError {
  override readonly name = 'RolloutConflictError';
  constructor(message: string) {
    super('conflict', message, 'cancel the running rollout or wait for it to finish, or give the changed spec another name');
  }
}

export interface StartedRollout {
  workflowId: string;
  /** False when an identical rollout was already running and this call joined it. */
  started: boolean;
  handle: WorkflowHandle<typeof rollout>;
  /** Domains of the spec already rolled out to another tenant (a plan, or an apply started with force). */
  warnings: string[];
  /** Waits for the rollout to end; its whole report (see client/rollout-report.ts). */
  report(): Promise<RolloutReport>;
}

export interface StartOptions {
  /** Start an apply although a domain was rolled out to another tenant (see client/domain-tenants.ts). */
  force?: boolean;
}

/**
 * Starts a rollout, or joins the one already running for the same spec. A running rollout of the same name with a
 * different spec is refused: it never runs twice, and never runs a spec other than the one it started with.
 */
export async function startRollout(client: Client, spec: RolloutSpec, mode: 'plan' | 'apply', taskQueue: string, options: StartOptions = {}): Promise<StartedRollout> {
  const elsewhere = await domainsOfOtherTenants(client, spec);
  if (mode === 'apply' && elsewhere.length > 0 && !options.force) throw new DomainTenantConflictError(elsewhere);
  const warnings = elsewhere.map((conflict) => `already rolled out to another tenant: ${conflict}`);
  const started = await startOnce(client, spec, mode, taskQueue);
  return { ...started, warnings, report: () => rolloutResult(client, started.workflowId) };
}

async function startOnce(client: Client, spec: RolloutSpec, mode: 'plan' | 'apply', taskQueue: string, attempt = 1): Promise<Omit<StartedRollout, 'warnings' | 'report'>> {
  const digest = specDigest(spec);
  const workflowId = rolloutWorkflowId(spec, mode, digest);
  const existing = client.workflow.getHandle<typeof rollout>(workflowId);
  const running = await existing.describe().then(
    (d) => (d.status.name === 'RUNNING' ? d : undefined),
    (error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    },
  );
  if (running) {
    const runningDigest = running.memo?.specDigest;
    if (runningDigest !== digest) {
      throw new RolloutConflictError(`rollout ${workflowId} is already running with a different spec (digest ${String(runningDigest).slice(0, 12)})`);
    }
    return { workflowId, started: false, handle: existing };
  }
  try {
    const handle = await client.workflow.start(rollout, {
      taskQueue,
      workflowId,
      args: [{ spec, mode, specDigest: digest }],
      workflowIdConflictPolicy: 'FAIL',
      memo: { specDigest: digest, mode, domains: domainsMemo(spec) },
      typedSearchAttributes: runSearchAttributes(mode === 'apply' ? 'rollout' : 'plan', spec, 'preflight'),
    });
    return { workflowId, started: true, handle };
  } catch (error) {
    // Started by someone else between describe and start: join it (once; a second race means something is wrong).
    if (error instanceof WorkflowExecutionAlreadyStartedError && attempt === 1) return startOnce(client, spec, mode, taskQueue, 2);
    throw error;
  }
}

/** The rollout's progress with, for every running domain, its child's live step. */
export async function rolloutProgress(client: Client, workflowId: string): Promise<RolloutReport> {
  const handle = client.workflow.getHandle(workflowId);
  const report = await handle.query(rolloutProgressQuery);
  if (isRolloutRecord(report)) return wholeReport(client, report);
  report.domains = await Promise.all(
    report.domains.map(async (domain): Promise<DomainReport> => {
      if (domain.status !== 'running' && domain.status !== 'waiting-operator') return domain;
      const live = await client.workflow
        .getHandle(`${workflowId}/domain/${domain.domain}`)
        .query(domainProgressQuery)
        .catch(() => undefined);
      return live ? { ...live, findings: [...domain.findings, ...live.findings] } : domain;
    }),
  );
  return withCurrentStepNames(report);
}

/** The final report of a rollout, whole (see wholeReport). */
export async function rolloutResult(client: Client, workflowId: string): Promise<RolloutReport> {
  return wholeReport(client, await client.workflow.getHandle<typeof rollout>(workflowId).result());
}
