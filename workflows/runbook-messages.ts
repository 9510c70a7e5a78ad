import { defineQuery } from '@temporalio/workflow';
import type { RunbookReport } from '../model/report-types';

/** Live progress of a runbook (rotateKeys, rollback): per domain its status, current step and records. */
export const runbookProgressQuery = defineQuery<RunbookReport>('runbookProgress');
