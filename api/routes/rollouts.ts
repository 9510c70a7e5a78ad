import { startRollout } from '../../client/rollouts';
import { controlRollout, describeRun, hasReport, listRuns, noReportReason, runReport, type RolloutControl } from '../../client/runs';
import { startMigrateIntune, startRollback, startRotateKeys } from '../../client/runbooks';
import { renderHtml, renderMarkdown } from '../../model/report-render';
import { ApiError } from '../errors';
import { grants } from '../scopes';
import { defineRoute, type ApiRoute, type ResponseDoc, type RouteCall } from '../route';
import {
  rollbackBody,
  migrateIntuneBody,
  approveBody,
  cancelBody,
  controlResultSchema,
  emptyBody,
  errorSchema,
  listRunsQuery,
  reportQuery,
  reportSchema,
  rotateKeysBody,
  runIdParams,
  runListSchema,
  runReportSchema,
  startedRunSchema,
  startRolloutBody,
} from '../schemas';

const invalid: ResponseDoc = { description: 'the request is invalid; every problem is listed by path', schema: errorSchema };
const unknownRun: ResponseDoc = { description: 'no such run', schema: errorSchema };
const undecryptable: ResponseDoc = {
  description: "the server cannot decrypt the run's history: it lacks the payload key it was encrypted with (see CLOUDTRUST_CODEC_OLD_KEYS); or an unexpected error, whose details are in the server log",
  schema: errorSchema,
};
const refused: ResponseDoc = { description: "the rollout refused the request (its reason is in the message), or it has ended", schema: errorSchema };

const runLocation = (id: string) => `/rollouts/${encodeURIComponent(id)}`;

/** Who asks: the name of the token, recorded as approver or as who paused, resumed or cancelled. */
function caller(call: RouteCall<unknown, unknown, unknown>): string {
  if (!call.token) throw new Error('a bearer route ran without a token');
  return call.token.name;
}

const startRolloutRoute = defineRoute({
  method: 'POST',
  path: '/rollouts',
  operationId: 'startRollout',
  tag: 'rollouts',
  summary: 'Start a rollout (apply) or a plan of a spec',
  description:
    'The spec is validated in full before anything starts. A rollout already running with the same spec is joined (200); one running under the same name with a different spec is refused (409), and so is an apply of a domain already rolled out to another tenant unless `force` (one AD domain has one Kerberos server object).',
  auth: { kind: 'bearer', scope: 'operate' },
  body: startRolloutBody,
  responses: {
    201: { description: 'started', schema: startedRunSchema },
    200: { description: 'an identical run was already going: joined it', schema: startedRunSchema },
    400: invalid,
    409: { description: 'a rollout of this name is running with a different spec, or a domain was rolled out to another tenant', schema: errorSchema },
  },
  async handle({ body }, { client, taskQueue }) {
    const started = await startRollout(client, body.spec, body.mode, taskQueue, { force: body.force });
    return {
      status: started.started ? 201 : 200,
      body: { id: started.workflowId, started: started.started, mode: body.mode, ...(started.warnings.length > 0 ? { warnings: started.warnings } : {}) },
      headers: { location: runLocation(started.workflowId) },
    };
  },
});

const listRunsRoute = defineRoute({
  method: 'GET',
  path: '/rollouts',
  operationId: 'listRuns',
  tag: 'rollouts',
  summary: 'List runs (rollouts, plans, runbooks, drift checks), newest first',
  auth: { kind: 'bearer', scope: 'read' },
  query: listRunsQuery,
  responses: { 200: { description: 'the runs', schema: runListSchema }, 400: invalid },
  async handle({ query }, { client }) {
    return { status: 200, body: { runs: await listRuns(client, { kinds: query.kind, spec: query.spec, limit: query.limit }) } };
  },
});

const runProgressRoute = defineRoute({
  method: 'GET',
  path: '/rollouts/:id',
  operationId: 'getRun',
  tag: 'rollouts',
  summary: 'A run and its live progress (or its final report once it has finished)',
  auth: { kind: 'bearer', scope: 'read' },
  params: runIdParams,
  responses: { 200: { description: 'the run and its report', schema: runReportSchema }, 400: invalid, 404: unknownRun, 500: undecryptable },
  async handle({ params }, { client }) {
    const run = await describeRun(client, params.id);
    if (!hasReport(run)) return { status: 200, body: { run, kind: run.kind, report: null, noReport: noReportReason(run) } };
    return { status: 200, body: await runReport(client, params.id, run) };
  },
});

const runReportRoute = defineRoute({
  method: 'GET',
  path: '/rollouts/:id/report',
  operationId: 'getRunReport',
  tag: 'rollouts',
  summary: 'The report of a run as JSON, Markdown or HTML',
  description: 'Markdown and HTML render rollouts and plans; other runs are reported as JSON.',
  auth: { kind: 'bearer', scope: 'read' },
  params: runIdParams,
  query: reportQuery,
  responses: {
    200: { description: 'the report', schema: reportSchema, contentTypes: ['text/markdown', 'text/html'] },
    400: invalid,
    404: unknownRun,
    500: undecryptable,
  },
  async handle({ params, query }, { client }) {
    const { kind, report } = await runReport(client, params.id);
    if (query.format === 'json') return { status: 200, body: report };
    if (kind !== 'rollout' && kind !== 'plan') {
      throw new ApiError(400, 'invalid-input', `${params.id} is a ${kind} run: only rollouts and plans render as ${query.format}`, { hint: 'ask for format=json' });
    }
    const rollout = report;
    return query.format === 'md'
      ? { status: 200, body: renderMarkdown(rollout), contentType: 'text/markdown; charset=utf-8' }
      : { status: 200, body: renderHtml(rollout), contentType: 'text/html; charset=utf-8' };
  },
});

function controlRoute(action: RolloutControl['action'], summary: string, body: typeof approveBody | typeof cancelBody | typeof emptyBody, toControl: (body: Record<string, string | undefined>, by: string) => RolloutControl): ApiRoute {
  return defineRoute({
    method: 'POST',
    path: `/rollouts/:id/${action}`,
    operationId: `${action}Rollout`,
    tag: 'rollouts',
    summary,
    auth: { kind: 'bearer', scope: 'operate' },
    params: runIdParams,
    body,
    responses: { 200: { description: "the rollout's answer", schema: controlResultSchema }, 400: invalid, 404: unknownRun, 409: refused },
    async handle(call, { client }) {
      const result = await controlRollout(client, call.params.id, toControl(call.body ?? {}, caller(call)));
      return { status: 200, body: { id: call.params.id, action, result } };
    },
  });
}

const approveRoute = controlRoute('approve', 'Approve a ring (the one waiting, unless named); the approver is the token\'s name', approveBody, (b, by) => ({
  action: 'approve',
  by,
  ...(b.ring ? { ring: b.ring } : {}),
  ...(b.comment ? { comment: b.comment } : {}),
}));
const pauseRoute = controlRoute('pause', 'Pause a rollout: running domains finish, no new domain starts', emptyBody, (_b, by) => ({ action: 'pause', by }));
const resumeRoute = controlRoute('resume', 'Resume a paused rollout', emptyBody, (_b, by) => ({ action: 'resume', by }));
const cancelRoute = controlRoute('cancel', 'Cancel a rollout: running domains stop, later rings are skipped', cancelBody, (b, by) => ({
  action: 'cancel',
  by,
  ...(b.reason ? { reason: b.reason } : {}),
}));

const rotateKeysRoute = defineRoute({
  method: 'POST',
  path: '/rotate-keys',
  operationId: 'startRotateKeys',
  tag: 'runbooks',
  summary: "Rotate the Kerberos server keys of a spec's domains (plan by default)",
  auth: { kind: 'bearer', scope: 'operate' },
  body: rotateKeysBody,
  responses: {
    201: { description: 'started', schema: startedRunSchema },
    400: invalid,
    409: { description: 'a key rotation of this spec is already running', schema: errorSchema },
  },
  async handle({ body }, { client, taskQueue }) {
    const handle = await startRotateKeys(client, { spec: body.spec, mode: body.mode, force: body.force, double: body.double, ...(body.domains ? { domains: body.domains } : {}) }, taskQueue);
    return { status: 201, body: { id: handle.workflowId, started: true, mode: body.mode }, headers: { location: runLocation(handle.workflowId) } };
  },
});

const rollbackRoute = defineRoute({
  method: 'POST',
  path: '/rollback',
  operationId: 'startRollback',
  tag: 'runbooks',
  summary: "Roll a spec's domains back: the policy, and the Kerberos object only when asked twice (plan by default)",
  description: 'GPOs and custom Intune profiles are never deleted; a settings-catalog policy left with no assignment is. Removing the Azure AD Kerberos server object (removeKerberosObject with confirmRemoval) needs the admin scope.',
  auth: { kind: 'bearer', scope: 'operate' },
  body: rollbackBody,
  responses: {
    201: { description: 'started', schema: startedRunSchema },
    400: invalid,
    403: { description: 'removing the Kerberos object needs the admin scope', schema: errorSchema },
    409: { description: 'a rollback of this spec is already running', schema: errorSchema },
  },
  async handle({ body, token }, { client, taskQueue }) {
    if (body.removeKerberosObject && !(token && grants(token.scopes, 'admin'))) {
      throw new ApiError(403, 'forbidden', 'removing the Azure AD Kerberos server object needs the admin scope', { hint: 'roll back the policy with an operate token, or ask an admin' });
    }
    const { spec, mode, policy, removeKerberosObject, confirmRemoval, domains } = body;
    const handle = await startRollback(client, { spec, mode, policy, removeKerberosObject, confirmRemoval, ...(domains ? { domains } : {}) }, taskQueue);
    return { status: 201, body: { id: handle.workflowId, started: true, mode }, headers: { location: runLocation(handle.workflowId) } };
  },
});

const migrateIntuneRoute = defineRoute({
  method: 'POST',
  path: '/migrate-intune',
  operationId: 'startMigrateIntune',
  tag: 'runbooks',
  summary: "Move a spec's intune domains from the custom OMA-URI profile to the settings-catalog policy (plan by default)",
  description: 'The catalog policy is created, assigned and read back before the group is removed from the custom profile, which is deleted once nothing else is assigned to it. Every step is idempotent: a failed migration is started again.',
  auth: { kind: 'bearer', scope: 'operate' },
  body: migrateIntuneBody,
  responses: {
    201: { description: 'started', schema: startedRunSchema },
    400: invalid,
    409: { description: 'an Intune migration of this spec is already running', schema: errorSchema },
  },
  async handle({ body }, { client, taskQueue }) {
    const { spec, mode, domains } = body;
    const handle = await startMigrateIntune(client, { spec, mode, ...(domains ? { domains } : {}) }, taskQueue);
    return { status: 201, body: { id: handle.workflowId, started: true, mode }, headers: { location: runLocation(handle.workflowId) } };
  },
});

export const rolloutRoutes: ApiRoute[] = [
  startRolloutRoute,
  listRunsRoute,
  runProgressRoute,
  runReportRoute,
  approveRoute,
  pauseRoute,
  resumeRoute,
  cancelRoute,
  rotateKeysRoute,
  rollbackRoute,
  migrateIntuneRoute,
];
