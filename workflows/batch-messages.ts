import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DomainReport, DomainSummary } from '../model/report-types';
import type { DomainReadiness } from '../model/user-readiness';

/** What a batch tells its rollout once its domains are preflighted. */
export interface BatchPreflighted {
  batch: string;
  domains: DomainSummary[];
}

/** What a batch tells its rollout once its ring's users are checked. */
export interface BatchReadiness {
  batch: string;
  blocked: boolean;
}

/** What the rollout asks of a batch: check the ring's users, run the domains, or end without running them. */
export type BatchCommand =
  | { kind: 'readiness' }
  | { kind: 'run'; moduleReady?: boolean; failuresBefore: number; paused: boolean }
  | { kind: 'skip' };

/** A batch's answer: the summary of every domain, and the whole report of each domain that has no domain child to hold it. */
export interface BatchResult {
  batch: string;
  domains: DomainSummary[];
  /** Domains no child holds: not ready, never started, or whose child ended without a report. */
  details: DomainReport[];
  readiness?: DomainReadiness[];
  failures: number;
}

export const batchPreflightedSignal = defineSignal<[BatchPreflighted]>('batchPreflighted');
export const batchReadinessSignal = defineSignal<[BatchReadiness]>('batchReadiness');
export const batchCommandSignal = defineSignal<[BatchCommand]>('batchCommand');
/** The rollout paused (true) or resumed (false): a paused batch starts no new domain. */
export const batchPauseSignal = defineSignal<[{ paused: boolean }]>('batchPause');
/** The rollout was cancelled: no new domains, running ones stop at their next step boundary. */
export const batchStopSignal = defineSignal<[{ reason: string }]>('batchStop');
/** A batch as it is now (the same shape as its result). */
export const batchProgressQuery = defineQuery<BatchResult>('batchProgress');
