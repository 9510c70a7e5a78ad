import { randomUUID } from 'node:crypto';
import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { assignmentId, assignmentsFromBody, replaceAssignments, targetFromJson, targetJson, type LabAssignment } from './assignments';
import { badRequest, intuneNotFound, notSimulated } from './errors';
import { query, select, type CollectionQuery, type CollectionRules, type Json } from './odata';
import { INTUNE_READ, INTUNE_WRITE, requireIntune, sameId, type GraphRequest } from './request';

/**
 * Intune device configurations (deviceManagement/deviceConfigurations, v1.0 resource pages): the abstract
 * deviceConfiguration and, for windows10CustomConfiguration, its omaSettings. A custom profile's OMA-URI
 * settings are omaSettingBoolean (Boolean), omaSettingInteger (Int32) or omaSettingString (String).
 */

type LabConfiguration = LabEstate['tenant']['deviceConfigurations'][number];
type LabOmaSetting = LabConfiguration['omaSettings'][number];

export const CUSTOM_CONFIGURATION = '#microsoft.graph.windows10CustomConfiguration';
const ASSIGNMENT_TYPE = '#microsoft.graph.deviceConfigurationAssignment';
const BASE_MEMBERS = ['id', 'createdDateTime', 'description', 'displayName', 'lastModifiedDateTime', 'version', 'assignments', 'deviceStatuses', 'userStatuses', 'deviceStatusOverview', 'userStatusOverview', 'deviceSettingStateSummaries'];
const OMA_TYPES: Record<string, LabOmaSetting['valueType']> = {
  '#microsoft.graph.omaSettingBoolean': 'boolean',
  '#microsoft.graph.omaSettingInteger': 'integer',
  '#microsoft.graph.omaSettingString': 'string',
};

export const CONFIGURATION_RULES: CollectionRules = { typeName: 'microsoft.graph.deviceConfiguration', errorCode: 'BadRequest', skipSupported: true, members: BASE_MEMBERS };
const ASSIGNMENT_RULES: CollectionRules = { typeName: 'microsoft.graph.deviceConfigurationAssignment', errorCode: 'BadRequest', skipSupported: true, members: ['id', 'target'] };

function omaSettingJson(setting: LabOmaSetting): Json {
  const type = Object.keys(OMA_TYPES).find((t) => OMA_TYPES[t] === setting.valueType)!;
  return { '@odata.type': type, displayName: setting.displayName, description: setting.description ?? null, omaUri: setting.omaUri, value: setting.value };
}

function configurationJson(configuration: LabConfiguration, expandAssignments: boolean, version: 'v1.0' | 'beta'): Json {
  const json: Json = {
    '@odata.type': configuration.odataType,
    id: configuration.id.toLowerCase(),
    lastModifiedDateTime: configuration.lastModifiedDateTime ?? null,
    createdDateTime: configuration.createdDateTime ?? null,
    description: configuration.description,
    displayName: configuration.displayName,
    version: configuration.version ?? 1,
  };
  if (configuration.odataType === CUSTOM_CONFIGURATION) json.omaSettings = configuration.omaSettings.map(omaSettingJson);
  else Object.assign(json, configuration.properties ?? {});
  if (expandAssignments) json.assignments = configuration.assignments.map((a) => assignmentJson(configuration, a, version));
  return json;
}

function assignmentJson(configuration: LabConfiguration, assignment: LabAssignment, version: 'v1.0' | 'beta'): Json {
  return { '@odata.type': ASSIGNMENT_TYPE, id: assignmentId(configuration.id.toLowerCase(), assignment), target: targetJson(assignment, version) };
}

function configurationOrFail(request: GraphRequest, estate: LabEstate, id: string): LabConfiguration {
  const configuration = estate.tenant.deviceConfigurations.find((c) => sameId(c.id, id));
  if (!configuration) throw intuneNotFound(request.url);
  return configuration;
}

export interface ReadOptions {
  select?: string[];
  expand?: string[];
}

function expandsAssignments(expand: string[] | undefined): boolean {
  const wanted = (expand ?? []).flatMap((e) => e.split(',')).map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0);
  for (const item of wanted) if (item !== 'assignments') throw notSimulated(`$expand=${item} on device configurations`);
  return wanted.includes('assignments');
}

export async function listConfigurations(request: GraphRequest, q: CollectionQuery & ReadOptions): Promise<Json[]> {
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  const expand = expandsAssignments(q.expand);
  return query(estate.tenant.deviceConfigurations.map((c) => configurationJson(c, expand, request.version)), q, CONFIGURATION_RULES).map((c) => select(c, q.select, CONFIGURATION_RULES));
}

export async function getConfiguration(request: GraphRequest, id: string, options: ReadOptions = {}): Promise<Json> {
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  return select(configurationJson(configurationOrFail(request, estate, id), expandsAssignments(options.expand), request.version), options.select, CONFIGURATION_RULES);
}

// ---------------------------------------------------------------- writes

function unknownProperty(key: string, type: string): Error {
  return badRequest('ModelValidationFailure', `The property '${key}' does not exist on type '${type.replace(/^#/, '')}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
}

/** omaSettings as posted -> the estate's; "Property omaSettings in payload has a value that does not match schema." otherwise (msgraph-sdk-powershell#954). */
function omaSettingsFromBody(value: unknown): LabOmaSetting[] {
  const mismatch = () => badRequest('ModelValidationFailure', 'Property omaSettings in payload has a value that does not match schema.');
  if (!Array.isArray(value)) throw mismatch();
  return value.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw mismatch();
    const json = item as Json;
    const type = String(json['@odata.type'] ?? '');
    const valueType = OMA_TYPES[type];
    if (!valueType) {
      if (/^#microsoft\.graph\.omaSetting/.test(type)) throw notSimulated(`the OMA setting type ${type}`);
      throw mismatch();
    }
    for (const key of Object.keys(json)) {
      if (!['@odata.type', 'displayName', 'description', 'omaUri', 'value'].includes(key)) throw unknownProperty(key, type);
    }
    const { displayName, description, omaUri, value: settingValue } = json;
    if (typeof displayName !== 'string' || typeof omaUri !== 'string' || omaUri.length === 0) throw mismatch();
    if (description !== undefined && description !== null && typeof description !== 'string') throw mismatch();
    const ok =
      valueType === 'boolean'
        ? typeof settingValue === 'boolean'
        : valueType === 'integer'
          ? typeof settingValue === 'number' && Number.isInteger(settingValue) && settingValue >= -2147483648 && settingValue <= 2147483647
          : typeof settingValue === 'string';
    if (!ok) throw mismatch();
    return { displayName, omaUri, valueType, value: settingValue as boolean | number | string, ...(typeof description === 'string' ? { description } : {}) };
  });
}

/** The members a body may carry for this type (the base members, plus omaSettings for a custom profile). */
function checkMembers(body: Json, type: string): void {
  for (const key of Object.keys(body)) {
    if (key === '@odata.type' || key === '@odata.context' || ['displayName', 'description', 'version', 'id', 'createdDateTime', 'lastModifiedDateTime'].includes(key)) continue;
    if (key === 'omaSettings' && type === CUSTOM_CONFIGURATION) continue;
    if (key === 'assignments') throw notSimulated('deep insert of assignments');
    throw unknownProperty(key, type);
  }
}

function profileKey(estate: LabEstate, displayName: string): string {
  return `profile:${estate.tenant.id}:${displayName}`;
}

/** POST /deviceManagement/deviceConfigurations: '@odata.type' picks the derived type (deviceConfiguration is abstract). */
export async function createConfiguration(request: GraphRequest, body: Json): Promise<Json> {
  const type = body['@odata.type'];
  if (typeof type !== 'string' || type.length === 0) throw badRequest('ModelValidationFailure', "Cannot create an instance of the abstract type 'microsoft.graph.deviceConfiguration'; '@odata.type' must name a derived type.");
  if (type !== CUSTOM_CONFIGURATION) throw notSimulated(`creating a ${type}`);
  checkMembers(body, type);
  if (typeof body.displayName !== 'string' || body.displayName.trim() === '') throw badRequest('ModelValidationFailure', 'Property displayName in payload has a value that does not match schema.');
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') throw badRequest('ModelValidationFailure', 'Property description in payload has a value that does not match schema.');
  const omaSettings = body.omaSettings === undefined || body.omaSettings === null ? [] : omaSettingsFromBody(body.omaSettings);
  const displayName = body.displayName;
  return request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const now = request.lab.now().toISOString();
    const configuration: LabConfiguration = {
      id: randomUUID(),
      displayName,
      description: typeof body.description === 'string' ? body.description : '',
      odataType: type,
      omaSettings,
      assignments: [],
      createdDateTime: now,
      lastModifiedDateTime: now,
      version: 1,
    };
    estate.tenant.deviceConfigurations.push(configuration);
    recordMutation(estate, profileKey(estate, displayName));
    return configurationJson(configuration, false, request.version);
  });
}

/** PATCH /deviceManagement/deviceConfigurations/{id}: each member sent replaces its value (a collection as a whole). */
export async function updateConfiguration(request: GraphRequest, id: string, body: Json): Promise<void> {
  await request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const configuration = configurationOrFail(request, estate, id);
    const type = body['@odata.type'];
    if (type !== undefined && type !== configuration.odataType) {
      throw badRequest('ModelValidationFailure', `Incompatible type kinds were found. The type '${String(type).replace(/^#/, '')}' does not match the type of the resource '${configuration.odataType.replace(/^#/, '')}'.`);
    }
    checkMembers(body, configuration.odataType);
    const name = configuration.displayName;
    if (body.displayName !== undefined) {
      if (typeof body.displayName !== 'string' || body.displayName.trim() === '') throw badRequest('ModelValidationFailure', 'Property displayName in payload has a value that does not match schema.');
      configuration.displayName = body.displayName;
    }
    if (body.description !== undefined) configuration.description = typeof body.description === 'string' ? body.description : '';
    if (body.omaSettings !== undefined) configuration.omaSettings = body.omaSettings === null ? [] : omaSettingsFromBody(body.omaSettings);
    configuration.version = (configuration.version ?? 1) + 1;
    configuration.lastModifiedDateTime = request.lab.now().toISOString();
    recordMutation(estate, profileKey(estate, name));
  });
}

/** DELETE /deviceManagement/deviceConfigurations/{id}: the profile and its assignments. */
export async function deleteConfiguration(request: GraphRequest, id: string): Promise<void> {
  await request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const configuration = configurationOrFail(request, estate, id);
    estate.tenant.deviceConfigurations = estate.tenant.deviceConfigurations.filter((c) => c !== configuration);
    recordMutation(estate, profileKey(estate, configuration.displayName));
  });
}

// ---------------------------------------------------------------- assignments

export async function listAssignments(request: GraphRequest, configurationId: string, q: CollectionQuery): Promise<Json[]> {
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  const configuration = configurationOrFail(request, estate, configurationId);
  return query(configuration.assignments.map((a) => assignmentJson(configuration, a, request.version)), q, ASSIGNMENT_RULES).map((a) => select(a, q.select, ASSIGNMENT_RULES));
}

export async function getAssignment(request: GraphRequest, configurationId: string, assignmentIdWanted: string, selected?: string[]): Promise<Json> {
  const estate = await request.lab.read();
  requireIntune(request, estate, INTUNE_READ);
  const configuration = configurationOrFail(request, estate, configurationId);
  const assignment = configuration.assignments.find((a) => sameId(assignmentId(configuration.id, a), assignmentIdWanted));
  if (!assignment) throw intuneNotFound(request.url);
  return select(assignmentJson(configuration, assignment, request.version), selected, ASSIGNMENT_RULES);
}

/** POST .../{id}/assignments: one more assignment. */
export async function createAssignment(request: GraphRequest, configurationId: string, body: Json): Promise<Json> {
  for (const key of Object.keys(body)) {
    if (!['@odata.type', 'id', 'target'].includes(key)) throw unknownProperty(key, ASSIGNMENT_TYPE);
  }
  const wanted = targetFromJson(body.target);
  return request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const configuration = configurationOrFail(request, estate, configurationId);
    configuration.assignments = replaceAssignments(estate, configuration.displayName, configuration.assignments, [...configuration.assignments, wanted]);
    return assignmentJson(configuration, wanted, request.version);
  });
}

/** POST .../{id}/assign {assignments: [...]}: the posted set replaces the profile's assignments; 200 with the new set. */
export async function assignConfiguration(request: GraphRequest, configurationId: string, body: unknown): Promise<Json[]> {
  const wanted = assignmentsFromBody(body, ASSIGNMENT_TYPE);
  return request.lab.update((estate) => {
    requireIntune(request, estate, INTUNE_WRITE);
    const configuration = configurationOrFail(request, estate, configurationId);
    configuration.assignments = replaceAssignments(estate, configuration.displayName, configuration.assignments, wanted);
    return configuration.assignments.map((a) => assignmentJson(configuration, a, request.version));
  });
}
