import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DomainReport, RolloutRecord, RolloutReport } from '../model/report-types';

/** Live progress of a rollout (per domain: status, current step, timings). */
export const rolloutProgressQuery = defineQuery<RolloutReport | RolloutRecord>('rolloutProgress');

/** Approves the gate in front of a ring; rejected when that ring is not waiting for approval. */
export const approveRingUpdate = defineUpdate<string, [{ ring: string; approver: string; comment?: string }]>('approveRing');
/** Stops starting new domains until resumed; running domains finish their current step sequence. */
export const pauseRolloutUpdate = defineUpdate<string, [{ by: string }]>('pauseRollout');
export const resumeRolloutUpdate = defineUpdate<string, [{ by: string }]>('resumeRollout');
/** Ends the rollout: no new domains; running domains stop at their next step boundary. */
export const cancelRolloutUpdate = defineUpdate<string, [{ by: string; reason?: string }]>('cancelRollout');

/** Live progress of one domain. */
export const domainProgressQuery = defineQuery<DomainReport>('domainProgress');
/** The operator ran the Kerberos command by hand; the domain verifies it before going on. */
export const kerberosOperatorDoneUpdate = defineUpdate<string, [{ by: string; getOutput?: string }]>('kerberosOperatorDone');
/** Sent by the rollout on cancel: stop at the next step boundary. */
export const stopDomainSignal = defineSignal<[{ reason: string }]>('stopDomain');
