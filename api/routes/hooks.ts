import type { Client } from '@temporalio/client';
import { startRollout } from '../../client/rollouts';
import { startDriftCheck, startRotateKeys } from '../../client/runbooks';
import type { RolloutSpec } from '../../model/spec';
import { ApiError } from '../errors';
import { hookDeliverySchema, readHookSpec, verifyWebhook, type HookAction } from '../hooks';
import { defineRoute, type ApiRoute } from '../route';
import { errorSchema, hookAcceptedSchema, hookNameParams } from '../schemas';
import { parseInput } from '../validation';

/** Webhook deliveries are small: a reference at most. */
export const HOOK_BODY_LIMIT = 16 * 1024;

async function runHookAction(action: HookAction, spec: RolloutSpec, client: Client, taskQueue: string): Promise<{ id: string; started?: boolean }> {
  switch (action) {
    case 'plan':
    case 'apply': {
      const started = await startRollout(client, spec, action, taskQueue);
      return { id: started.workflowId, started: started.started };
    }
    case 'rotate-keys':
      return { id: (await startRotateKeys(client, { spec, mode: 'apply' }, taskQueue)).workflowId, started: true };
    case 'drift-check':
      return { id: (await startDriftCheck(client, spec, taskQueue)).workflowId };
  }
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid-input', 'the request body is not valid JSON', { hint: 'send nothing, or {"reference": "<ticket id>"}' });
  }
}

const webhookRoute = defineRoute({
  method: 'POST',
  path: '/hooks/:name',
  operationId: 'deliverWebhook',
  tag: 'webhooks',
  summary: "Run a hook's action (plan, apply, rotate-keys or drift-check) on its spec file",
  description:
    'Authenticated by HMAC, not by a bearer token. Send X-Cloudtrust-Timestamp (unix seconds, within 300 s of the server clock) and ' +
    'X-Cloudtrust-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> keyed with the value of CLOUDTRUST_HOOK_SECRET_<SECRET NAME>. ' +
    'The body is optional: {"reference": "<ticket id>"} is recorded in the response and the server log.',
  auth: { kind: 'hmac' },
  params: hookNameParams,
  body: hookDeliverySchema.optional(),
  rawBody: true,
  bodyLimit: HOOK_BODY_LIMIT,
  responses: {
    202: { description: 'accepted: the run was started or joined', schema: hookAcceptedSchema },
    400: { description: "the body is invalid, or the hook's spec file is", schema: errorSchema },
    401: { description: 'missing or wrong signature, or a stale timestamp', schema: errorSchema },
    404: { description: 'no such hook', schema: errorSchema },
    409: { description: 'the run conflicts with one already going, or this exact delivery was already accepted (a replay)', schema: errorSchema },
  },
  async handle({ params, rawBody, headers, requestId }, { hooks, hookDeliveries, client, taskQueue, log }) {
    const hook = hooks.get(params.name);
    if (!hook) throw new ApiError(404, 'not-found', `no hook named ${params.name}`, { hint: 'hooks are declared in the hooks file (CLOUDTRUST_HOOKS_FILE, else hooks.json in the data directory)' });
    const signed = verifyWebhook(hook, headers, rawBody);
    // Reserved before the first await: of two identical deliveries arriving together, only one runs.
    if (!hookDeliveries.reserve(hook.name, signed.signature, signed.timestamp)) {
      const earlier = hookDeliveries.reservedAt(hook.name, signed.signature);
      throw new ApiError(409, 'replayed', `this delivery (same timestamp and signature) was already accepted${earlier ? ` at ${earlier.toISOString()}` : ''}`, {
        hint: 'to run the hook again, send a new delivery with a fresh timestamp and signature',
      });
    }
    let delivery: { reference?: string };
    let run: { id: string; started?: boolean };
    try {
      delivery = parseInput(hookDeliverySchema, parseJsonBody(rawBody), 'body');
      run = await runHookAction(hook.action, await readHookSpec(hook.specFile), client, taskQueue);
    } catch (error) {
      // Nothing ran: the sender may retry this very delivery.
      hookDeliveries.release(hook.name, signed.signature);
      throw error;
    }
    log.info('webhook accepted', { requestId, hook: hook.name, action: hook.action, runId: run.id, started: run.started, reference: delivery.reference });
    return {
      status: 202,
      body: { hook: hook.name, action: hook.action, ...run, ...(delivery.reference ? { reference: delivery.reference } : {}) },
      headers: { location: `/rollouts/${encodeURIComponent(run.id)}` },
    };
  },
});

export const hookRoutes: ApiRoute[] = [webhookRoute];
