import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { badRequest, notSimulated } from './errors';
import type { Json } from './odata';

/**
 * Intune assignment targets (deviceAndAppManagementAssignmentTarget and its derived types, v1.0 and beta) and the
 * /assign action, which replaces a policy's whole assignment set with the one posted
 * (https://learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfiguration-assign).
 */

export type LabAssignment = LabEstate['tenant']['deviceConfigurations'][number]['assignments'][number];
type Kind = NonNullable<LabAssignment['kind']>;

/** Intune's virtual groups behind the all-devices / all-licensed-users targets (the suffix of their assignment ids). */
export const ALL_DEVICES = 'adadadad-808e-44e2-905a-0b7873a8a531';
export const ALL_LICENSED_USERS = 'acacacac-9df4-4c7d-9d50-4ef0226f57a9';

const TARGET_TYPES: Record<string, Kind> = {
  '#microsoft.graph.groupAssignmentTarget': 'group',
  '#microsoft.graph.exclusionGroupAssignmentTarget': 'exclusionGroup',
  '#microsoft.graph.allDevicesAssignmentTarget': 'allDevices',
  '#microsoft.graph.allLicensedUsersAssignmentTarget': 'allLicensedUsers',
};
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const kindOf = (assignment: LabAssignment): Kind => assignment.kind ?? 'group';

export function targetJson(assignment: LabAssignment, version: 'v1.0' | 'beta'): Json {
  const kind = kindOf(assignment);
  const type = Object.keys(TARGET_TYPES).find((t) => TARGET_TYPES[t] === kind)!;
  const target: Json = { '@odata.type': type };
  // The beta model types the assignment filter members; the v1.0 target has none (catalog notes).
  if (version === 'beta') Object.assign(target, { deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none' });
  if (kind === 'group' || kind === 'exclusionGroup') target.groupId = assignment.groupId.toLowerCase();
  return target;
}

/** An assignment's id: the policy id and the target's group (or virtual group) id. */
export function assignmentId(policyId: string, assignment: LabAssignment): string {
  return `${policyId}_${assignment.groupId.toLowerCase()}`;
}

/** A posted target -> the estate's assignment; Intune refuses a target it cannot read. */
export function targetFromJson(target: unknown): LabAssignment {
  const invalid = () => badRequest('ModelValidationFailure', 'Property target in payload has a value that does not match schema.');
  if (target === null || typeof target !== 'object' || Array.isArray(target)) throw invalid();
  const json = target as Json;
  const kind = TARGET_TYPES[String(json['@odata.type'] ?? '')];
  if (!kind) {
    if (typeof json['@odata.type'] === 'string' && /^#?microsoft\.graph\./.test(json['@odata.type'])) throw notSimulated(`the assignment target ${json['@odata.type']}`);
    throw invalid();
  }
  for (const [key, value] of Object.entries(json)) {
    if (key === '@odata.type' || key === 'groupId') continue;
    if ((key === 'deviceAndAppManagementAssignmentFilterId' && value === null) || (key === 'deviceAndAppManagementAssignmentFilterType' && (value === null || value === 'none'))) continue;
    if (key.startsWith('deviceAndAppManagementAssignmentFilter')) throw notSimulated('an assignment filter');
    throw badRequest('ModelValidationFailure', `The property '${key}' does not exist on type '${String(json['@odata.type']).slice(1)}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
  }
  if (kind === 'allDevices') return { groupId: ALL_DEVICES, kind };
  if (kind === 'allLicensedUsers') return { groupId: ALL_LICENSED_USERS, kind };
  if (typeof json.groupId !== 'string' || !GUID.test(json.groupId)) throw invalid();
  return kind === 'group' ? { groupId: json.groupId } : { groupId: json.groupId, kind };
}

/** The `assignments` of an /assign body, each {target} (with an optional '@odata.type' and id). */
export function assignmentsFromBody(body: unknown, assignmentType: string): LabAssignment[] {
  const invalid = () => badRequest('ModelValidationFailure', 'Property assignments in payload has a value that does not match schema.');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid();
  for (const key of Object.keys(body)) {
    if (key !== 'assignments') throw badRequest('ModelValidationFailure', `The parameter '${key}' in the request payload is not a valid parameter for the operation 'assign'.`);
  }
  const items = (body as Json).assignments;
  if (!Array.isArray(items)) throw invalid();
  return items.map((item) => {
    if (item === null || typeof item !== 'object') throw invalid();
    const json = item as Json;
    if (json['@odata.type'] !== undefined && json['@odata.type'] !== assignmentType) throw invalid();
    return targetFromJson(json.target);
  });
}

const sameTarget = (a: LabAssignment, b: LabAssignment) => kindOf(a) === kindOf(b) && a.groupId.toLowerCase() === b.groupId.toLowerCase();

/**
 * Replaces a policy's assignments; each target that appears or disappears is one applied change
 * (mutation `assignment:<tenant>:<policy name>:<group id>`).
 */
export function replaceAssignments(estate: LabEstate, policyName: string, current: LabAssignment[], wanted: LabAssignment[]): LabAssignment[] {
  const next: LabAssignment[] = [];
  for (const assignment of wanted) if (!next.some((a) => sameTarget(a, assignment))) next.push(assignment);
  const changed = [...next.filter((a) => !current.some((c) => sameTarget(c, a))), ...current.filter((c) => !next.some((a) => sameTarget(a, c)))];
  for (const assignment of changed) recordMutation(estate, `assignment:${estate.tenant.id}:${policyName}:${assignment.groupId.toLowerCase()}`);
  return next;
}
