import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { runbookSizeProblem } from '../model/limits';
import { runSearchAttributes } from '../model/search-attributes';
import type { RolloutSpec } from '../model/spec';
import { driftCheck } from '../workflows/drift-check';
import { migrateIntune } from '../workflows/runbook-migrate';
import { rollback } from '../workflows/runbook-rollback';
import { rotateKeys } from '../workflows/runbook-rotate';
import { TriggerError } from './errors';
import { specDigest } from './rollouts';

export const rotateKeysWorkflowId = (spec: RolloutSpec) => `cloudtrust-rotate:${spec.name}`;
export const rollbackWorkflowId = (spec: RolloutSpec) => `cloudtrust-rollback:${spec.name}`;
export const migrateIntuneWorkflowId = (spec: RolloutSpec) => `cloudtrust-migrate-intune:${spec.name}`;
export const driftCheckWorkflowId = (spec: RolloutSpec) => `cloudtrust-drift:${spec.name}`;

export interface RotateKeysRequest {
  spec: RolloutSpec;
  mode: 'plan' | 'apply';
  domains?: string[];
  force?: boolean;
  /** Rotate twice (retiring the key from before the first rotation), with the cooldown between. */
  double?: boolean;
}

/**
 * Starts the key rotation runbook for a spec. One at a time per spec: a second manual start is refused here (same
 * workflow id), and any rotation — manual, API or scheduled — holds the spec's runbook lock while it changes anything.
 * The request time is its idempotency key.
 */
export function startRotateKeys(client: Client, request: RotateKeysRequest, taskQueue: string): Promise<WorkflowHandle<typeof rotateKeys>> {
  const { spec, mode } = request;
  const input = {
    spec,
    mode,
    requestedAt: new Date().toISOString(),
    force: request.force === true,
    ...(request.double ? { double: true } : {}),
    ...(request.domains ? { domains: request.domains } : {}),
  };
  return startRunbookOnce(client, rotateKeys, input, `${rotateKeysWorkflowId(spec)}${mode === 'plan' ? ':plan' : ''}`, 'rotate-keys', taskQueue);
}

export interface RollbackRequest {
  spec: RolloutSpec;
  mode: 'plan' | 'apply';
  domains?: string[];
  /** GPO channel: unlink the GPO from its targets, or set Enabled = 0 in it; Intune: the assignment goes either way. */
  policy: 'unlink' | 'disable';
  /** Also remove the Azure AD Kerberos server object; refused by the runbook unless confirmRemoval is set too. */
  removeKerberosObject?: boolean;
  confirmRemoval?: boolean;
}

/** Starts the rollback runbook for a spec; one at a time per spec (and under the spec's runbook lock). */
export function startRollback(client: Client, request: RollbackRequest, taskQueue: string): Promise<WorkflowHandle<typeof rollback>> {
  const { spec, mode } = request;
  const input = {
    spec,
    mode,
    policy: request.policy,
    removeKerberosObject: request.removeKerberosObject === true,
    confirmRemoval: request.confirmRemoval === true,
    ...(request.domains ? { domains: request.domains } : {}),
  };
  return startRunbookOnce(client, rollback, input, `${rollbackWorkflowId(spec)}${mode === 'plan' ? ':plan' : ''}`, 'rollback', taskQueue);
}

export interface MigrateIntuneRequest {
  spec: RolloutSpec;
  mode: 'plan' | 'apply';
  domains?: string[];
}

/** Starts the Intune delivery migration (custom OMA-URI profile -> settings-catalog policy); one at a time per spec. */
export function startMigrateIntune(client: Client, request: MigrateIntuneRequest, taskQueue: string): Promise<WorkflowHandle<typeof migrateIntune>> {
  const { spec, mode } = request;
  const input = { spec, mode, ...(request.domains ? { domains: request.domains } : {}) };
  return startRunbookOnce(client, migrateIntune, input, `${migrateIntuneWorkflowId(spec)}${mode === 'plan' ? ':plan' : ''}`, 'migrate-intune', taskQueue);
}

const RUNBOOK_WORDS = { 'rotate-keys': 'a key rotation', rollback: 'a rollback', 'migrate-intune': 'an Intune migration' } as const;

/** Starts a runbook under its fixed workflow id; one already running under that id is a conflict. */
async function startRunbookOnce<W extends typeof rotateKeys | typeof rollback | typeof migrateIntune>(
  client: Client,
  workflow: W,
  input: Parameters<W>[0],
  workflowId: string,
  kind: 'rotate-keys' | 'rollback' | 'migrate-intune',
  taskQueue: string,
): Promise<WorkflowHandle<W>> {
  const spec = input.spec;
  const tooMany = runbookSizeProblem((input.domains ?? spec.domains).length);
  if (tooMany) throw new TriggerError('invalid-input', tooMany);
  try {
    return await client.workflow.start(workflow as typeof rotateKeys, {
      taskQueue,
      workflowId,
      args: [input as Parameters<typeof rotateKeys>[0]],
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: runSearchAttributes(kind, spec),
    }) as unknown as WorkflowHandle<W>;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new TriggerError('conflict', `${RUNBOOK_WORDS[kind]} of ${spec.name} is already running (${workflowId})`, `follow it with \`cloudtrust status ${workflowId}\``);
    }
    throw error;
  }
}

/**
 * Starts a drift check now (the same workflow a drift-check schedule starts); joins one already running for the same
 * spec content, and refuses to join one checking another version of the spec.
 */
export async function startDriftCheck(client: Client, spec: RolloutSpec, taskQueue: string): Promise<WorkflowHandle<typeof driftCheck>> {
  const digest = specDigest(spec);
  const handle = await client.workflow.start(driftCheck, {
    taskQueue,
    workflowId: driftCheckWorkflowId(spec),
    args: [{ spec, specDigest: digest }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    memo: { specDigest: digest },
    typedSearchAttributes: runSearchAttributes('drift-check', spec),
  });
  const running = (await handle.describe()).memo?.specDigest;
  if (running !== digest) {
    throw new TriggerError('conflict', `a drift check of ${spec.name} is running with another version of the spec (digest ${String(running).slice(0, 12)})`, 'wait for it to finish, then check again');
  }
  return handle;
}
