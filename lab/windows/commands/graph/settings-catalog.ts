import { randomUUID } from 'node:crypto';
import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { assignmentId, assignmentsFromBody, replaceAssignments, targetJson, type LabAssignment } from './assignments';
import { badRequest, intuneNotFound, notSimulated } from './errors';
import { query, select, type CollectionQuery, type CollectionRules, type Json } from './odata';
import { INTUNE_READ, INTUNE_WRITE, requireIntune, sameId, type GraphRequest } from './request';

/**
 * Settings-catalog policies: beta deviceManagement/configurationPolicies
 * (https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta).
 * Settings are returned only when expanded (or from .../{id}/settings); /assign replaces the set.
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
  const settings = body.settings;
  if (!Array.isArray(settings) || settings.length === 0 || settings.some((s) => s === null || typeof s !== 'object' || Array.isArray(s) || typeof (s as Json).settingInstance !== 'object')) {
    throw badRequest('BadRequest', 'Property settings in payload has a value that does not match schema.');
  }
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
      settings: settings.map((s) => {
        const { id: _id, ...rest } = s as Json;
        return rest;
      }),
      assignments: [],
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    estate.tenant.configurationPolicies.push(policy);
    recordMutation(estate, `configurationPolicy:${estate.tenant.id}:${policy.name}`);
    return policyJson(policy, new Set());
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
