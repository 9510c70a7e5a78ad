import { randomUUID } from 'node:crypto';
import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { assignmentId, assignmentsFromBody, replaceAssignments, targetJson, type LabAssignment } from './assignments';
import { badRequest, intuneNotFound, notSimulated } from './errors';
import { query, select, type CollectionQuery, type CollectionRules, type Json } from './odata';
import { INTUNE_READ, INTUNE_WRITE, requireIntune, sameId, type GraphRequest } from './request';
import { validateSettings } from './setting-definitions';

/**
 * Settings-catalog policies: beta deviceManagement/configurationPolicies
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta).
 * Settings are returned only when expanded (or from .../{id}/settings); /assign replaces the set. Posted settings
 * are validated against the definitions (setting-definitions.ts). PATCH changes the policy's own members only — a
 * `settings` member is refused as a navigation property (deploymenttheory/terraform-provider-microsoft365#2488);
 * PUT with the whole policy replaces its settings (what Intune's own portal and public tools send; not on the Learn
 * update page, which documents PATCH: inferred).
 */

type LabPolicy = LabEstate['tenant']['configurationPolicies'][number];

const ASSIGNMENT_TYPE = '#microsoft.graph.deviceManagementConfigurationPolicyAssignment';
const MEMBERS = ['id', 'name', 'description', 'platforms', 'technologies', 'createdDateTime', 'lastModifiedDateTime', 'settingCount', 'creationSource', 'roleScopeTagIds', 'isAssigned', 'templateReference', 'priorityMetaData', 'disableEntraGroupPolicyAssignment', 'settings', 'assignments'];
const RULES: CollectionRules = { typeName: 'microsoft.graph.deviceManagementConfigurationPolicy', errorCode: 'BadRequest', skipSupported: true, members: MEMBERS };
const ASSIGNMENT_RULES: CollectionRules = { typeName: 'microsoft.graph.deviceManagementConfigurationPolicyAssignment', errorCode: 'BadRequest', skipSupported: true, members: ['id', 'source', 'sourceId', 'target'] };

function betaOnly(request: GraphRequest): void {
  if (request.version !== 'beta') throw badRequest('BadRequest', "Resource not found for the segment 'configurationPolicies'.");
}

function assignmentJson(policy: LabPolicy, assignment: LabAssignment): Json {
  return { id: assignmentId(policy.id.toLowerCase(), assignment), source: 'direct', sourceId: policy.id.toLowerCase(), target: targetJson(assignment, 'beta') };
}

function policyJson(policy: LabPolicy, expand: Set<string>): Json {
  const json: Json = {
    createdDateTime: policy.createdDateTime ?? null,
    creationSource: null,
    description: policy.description,
    lastModifiedDateTime: policy.lastModifiedDateTime ?? null,
    name: policy.name,
    platforms: policy.platforms,
    priorityMetaData: null,
    roleScopeTagIds: ['0'],
    settingCount: policy.settings.length,
    technologies: policy.technologies,
    id: policy.id.toLowerCase(),
    isAssigned: policy.assignments.length > 0,
    disableEntraGroupPolicyAssignment: false,
    templateReference: { templateId: '', templateFamily: policy.templateFamily, templateDisplayName: null, templateDisplayVersion: null },
  };
  if (expand.has('settings')) json.settings = policy.settings.map((setting, index) => ({ id: String(index), ...setting }));
  if (expand.has('assignments')) json.assignments = policy.assignments.map((a) => assignmentJson(policy, a));
  return json;
}

function expansions(expand: string[] | undefined): Set<string> {
  const wanted = new Set((expand ?? []).flatMap((e) => e.split(',')).map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0));
  for (const item of wanted) if (item !== 'settings' && item !== 'assignments') throw notSimulated(`$expand=${item} on configuration policies`);
  return wanted;
}

function policyOrFail(request: GraphRequest, estate: LabEstate, id: string): LabPolicy {
  const policy = estate.tenant.configurationPolicies.find((p) => sameId(p.id, id));
  if (!policy) throw intuneNotFound(request.url);
  return policy;
}

export async function listPolicies(request: GraphRequest, q: CollectionQuery & { expand?: string[] }): Promise<Json[]> {
  betaOnly(request);
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  const expand = expansions(q.expand);
  return query(estate.tenant.configurationPolicies.map((p) => policyJson(p, expand)), q, RULES).map((p) => select(p, q.select, RULES));
}

export async function getPolicy(request: GraphRequest, id: string, options: { select?: string[]; expand?: string[] } = {}): Promise<Json> {
  betaOnly(request);
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  return select(policyJson(policyOrFail(request, estate, id), expansions(options.expand)), options.select, RULES);
}

/** POST configurationPolicies: name, platforms, technologies and at least one setting (whfb-cloud-trust reference, G-CONFPOL). */
export async function createPolicy(request: GraphRequest, body: Json): Promise<Json> {
  betaOnly(request);
  for (const key of Object.keys(body)) {
    if (key === '@odata.type') continue;
    if (key === 'assignments') throw notSimulated('deep insert of assignments');
    if (!MEMBERS.includes(key)) throw badRequest('BadRequest', `The property '${key}' does not exist on type 'microsoft.graph.deviceManagementConfigurationPolicy'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
  }
  if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('BadRequest', 'Property name in payload has a value that does not match schema.');
  const settings = validateSettings(body.settings);
  const template = body.templateReference as Json | undefined;
  return request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const now = request.lab.now().toISOString();
    const policy: LabPolicy = {
      id: randomUUID(),
      name: body.name as string,
      description: typeof body.description === 'string' ? body.description : '',
      platforms: typeof body.platforms === 'string' ? body.platforms : 'none',
      technologies: typeof body.technologies === 'string' ? body.technologies : 'none',
      templateFamily: typeof template?.templateFamily === 'string' ? template.templateFamily : 'none',
      settings: storedSettings(settings),
      assignments: [],
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    estate.tenant.configurationPolicies.push(policy);
    recordMutation(estate, `configurationPolicy:${estate.tenant.id}:${policy.name}`);
    return policyJson(policy, new Set());
  });
}

function storedSettings(settings: Json[]): Json[] {
  return settings.map((s) => {
    const { id: _id, ...rest } = s;
    return rest;
  });
}

const PATCHABLE = ['name', 'description', 'roleScopeTagIds'];
const READ_ONLY = ['id', 'createdDateTime', 'lastModifiedDateTime', 'settingCount', 'isAssigned', 'creationSource', 'priorityMetaData'];

function unknownMember(key: string): Error {
  return badRequest('BadRequest', `The property '${key}' does not exist on type 'microsoft.graph.deviceManagementConfigurationPolicy'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
}

/** PATCH configurationPolicies/{id}: the policy's own members; settings and assignments are navigation properties. */
export async function updatePolicy(request: GraphRequest, id: string, body: Json): Promise<void> {
  betaOnly(request);
  for (const key of Object.keys(body)) {
    if (key === '@odata.type') continue;
    if (key === 'settings' || key === 'assignments') throw badRequest('BadRequest', `Cannot PATCH navigation property '${key}' on entity type 'microsoft.graph.deviceManagementConfigurationPolicy'.`);
    if (!MEMBERS.includes(key)) throw unknownMember(key);
    if (!PATCHABLE.includes(key)) throw notSimulated(`PATCH of configurationPolicy.${key}`);
  }
  if (body.name !== undefined && (typeof body.name !== 'string' || body.name.trim() === '')) throw badRequest('BadRequest', 'Property name in payload has a value that does not match schema.');
  await request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const policy = policyOrFail(request, estate, id);
    if (typeof body.name === 'string') policy.name = body.name;
    if (typeof body.description === 'string') policy.description = body.description;
    policy.lastModifiedDateTime = request.lab.now().toISOString();
    recordMutation(estate, `configurationPolicy:${estate.tenant.id}:${policy.name}`);
  });
}

/** PUT configurationPolicies/{id}: the whole policy (name, platforms, technologies, settings); its settings are replaced (inferred). */
export async function replacePolicy(request: GraphRequest, id: string, body: Json): Promise<void> {
  betaOnly(request);
  for (const key of Object.keys(body)) {
    if (key === '@odata.type' || READ_ONLY.includes(key)) continue;
    if (key === 'assignments') throw notSimulated('PUT of a policy with assignments');
    if (!MEMBERS.includes(key)) throw unknownMember(key);
  }
  if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('BadRequest', 'Property name in payload has a value that does not match schema.');
  const settings = validateSettings(body.settings);
  await request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const policy = policyOrFail(request, estate, id);
    if (typeof body.platforms === 'string' && body.platforms !== policy.platforms) throw badRequest('BadRequest', 'The platforms of a policy cannot be changed.');
    if (typeof body.technologies === 'string' && body.technologies !== policy.technologies) throw badRequest('BadRequest', 'The technologies of a policy cannot be changed.');
    policy.name = body.name as string;
    policy.description = typeof body.description === 'string' ? body.description : '';
    policy.settings = storedSettings(settings);
    policy.lastModifiedDateTime = request.lab.now().toISOString();
    recordMutation(estate, `configurationPolicy:${estate.tenant.id}:${policy.name}`);
  });
}

/** DELETE configurationPolicies/{id}: the policy and its assignments. */
export async function deletePolicy(request: GraphRequest, id: string): Promise<void> {
  betaOnly(request);
  await request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const policy = policyOrFail(request, estate, id);
    estate.tenant.configurationPolicies = estate.tenant.configurationPolicies.filter((p) => p !== policy);
    recordMutation(estate, `configurationPolicy:${estate.tenant.id}:${policy.name}`);
  });
}

export async function listPolicyAssignments(request: GraphRequest, policyId: string, q: CollectionQuery): Promise<Json[]> {
  betaOnly(request);
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  const policy = policyOrFail(request, estate, policyId);
  return query(policy.assignments.map((a) => assignmentJson(policy, a)), q, ASSIGNMENT_RULES).map((a) => select(a, q.select, ASSIGNMENT_RULES));
}

export async function getPolicyAssignment(request: GraphRequest, policyId: string, id: string, selected?: string[]): Promise<Json> {
  betaOnly(request);
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  const policy = policyOrFail(request, estate, policyId);
  const assignment = policy.assignments.find((a) => sameId(assignmentId(policy.id, a), id));
  if (!assignment) throw intuneNotFound(request.url);
  return select(assignmentJson(policy, assignment), selected, ASSIGNMENT_RULES);
}

/** POST configurationPolicies/{id}/assign: replaces the policy's assignments. */
export async function assignPolicy(request: GraphRequest, policyId: string, body: unknown): Promise<Json[]> {
  betaOnly(request);
  const wanted = assignmentsFromBody(body, ASSIGNMENT_TYPE);
  return request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const policy = policyOrFail(request, estate, policyId);
    policy.assignments = replaceAssignments(estate, policy.name, policy.assignments, wanted);
    policy.lastModifiedDateTime = request.lab.now().toISOString();
    return policy.assignments.map((a) => assignmentJson(policy, a));
  });
}
