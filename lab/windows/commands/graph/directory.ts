import { randomUUID } from 'node:crypto';
import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { badRequest, directoryNotFound, GraphServiceError, notSimulated } from './errors';
import { query, select, type CollectionQuery, type CollectionRules, type Json } from './odata';
import { objectId, requireDirectory, sameId, type GraphRequest } from './request';

/** Entra ID as Graph serves it: the organization, groups and their members (v1.0 resource shapes). */

type LabGroup = LabEstate['tenant']['groups'][number];

const GROUP_READ = ['Group.Read.All', 'Group.ReadWrite.All'];
const GROUP_CREATE = ['Group.Create', 'Group.ReadWrite.All'];
const MEMBER_READ = ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'];
const MEMBER_WRITE = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All'];

/**
 * Service plans (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference): INTUNE_A is
 * Intune (service 'SCO'); INTUNE_O365 is Basic Mobility and Security, also 'SCO', which every Office 365 tenant has.
 */
const PLANS = {
  exchange: { service: 'exchange', servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0' },
  intuneO365: { service: 'SCO', servicePlanId: '882e1d05-acd1-4ccb-8708-6ee03664b117' },
  intune: { service: 'SCO', servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5' },
};

const ORGANIZATION_RULES: CollectionRules = {
  typeName: 'microsoft.graph.organization',
  errorCode: 'Request_BadRequest',
  skipSupported: false,
  members: ['id', 'deletedDateTime', 'assignedPlans', 'businessPhones', 'city', 'country', 'countryLetterCode', 'createdDateTime', 'defaultUsageLocation', 'displayName', 'isMultipleDataLocationsForServicesEnabled', 'marketingNotificationEmails', 'onPremisesLastSyncDateTime', 'onPremisesSyncEnabled', 'partnerTenantType', 'postalCode', 'preferredLanguage', 'privacyProfile', 'provisionedPlans', 'securityComplianceNotificationMails', 'securityComplianceNotificationPhones', 'state', 'street', 'technicalNotificationMails', 'tenantType', 'verifiedDomains', 'branding', 'certificateBasedAuthConfiguration', 'extensions'],
};

function organizationJson(estate: LabEstate): Json {
  const tenant = estate.tenant;
  const assigned = '2024-01-15T09:00:00Z';
  const plans = [PLANS.exchange, PLANS.intuneO365, ...(tenant.intuneLicensed ? [PLANS.intune] : [])].map((plan) => ({ assignedDateTime: assigned, capabilityStatus: 'Enabled', ...plan }));
  const initial = tenant.verifiedDomains.find((d) => /\.onmicrosoft\.com$/i.test(d));
  const defaultDomain = tenant.verifiedDomains.find((d) => !/\.onmicrosoft\.com$/i.test(d)) ?? initial;
  return {
    id: tenant.id.toLowerCase(),
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: 'US',
    createdDateTime: '2019-03-01T10:00:00Z',
    defaultUsageLocation: null,
    displayName: tenant.displayName,
    isMultipleDataLocationsForServicesEnabled: null,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: true,
    partnerTenantType: null,
    postalCode: null,
    preferredLanguage: 'en',
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: null,
    street: null,
    technicalNotificationMails: [],
    tenantType: 'AAD',
    assignedPlans: plans,
    provisionedPlans: [],
    privacyProfile: null,
    verifiedDomains: tenant.verifiedDomains.map((name) => ({
      capabilities: 'Email, OfficeCommunicationsOnline',
      isDefault: name === defaultDomain,
      isInitial: name === initial,
      name,
      type: 'Managed',
    })),
  };
}

/** GET /organization: the signed-in tenant, as a one-element collection. */
export async function listOrganization(request: GraphRequest, q: CollectionQuery): Promise<Json[]> {
  requireDirectory(request, 'Organization.Read.All', 'Organization.ReadWrite.All');
  const estate = await request.lab.read();
  return query([organizationJson(estate)], q, ORGANIZATION_RULES).map((o) => select(o, q.select, ORGANIZATION_RULES));
}

export async function getOrganization(request: GraphRequest, id: string, selected?: string[]): Promise<Json> {
  requireDirectory(request, 'Organization.Read.All', 'Organization.ReadWrite.All');
  const estate = await request.lab.read();
  if (!sameId(id, estate.tenant.id)) throw directoryNotFound(id);
  return select(organizationJson(estate), selected, ORGANIZATION_RULES);
}

// ---------------------------------------------------------------- groups

const GROUP_RULES: CollectionRules = {
  typeName: 'microsoft.graph.group',
  errorCode: 'Request_BadRequest',
  skipSupported: false,
  members: ['id', 'deletedDateTime', 'allowExternalSenders', 'assignedLabels', 'assignedLicenses', 'autoSubscribeNewMembers', 'classification', 'createdDateTime', 'description', 'displayName', 'expirationDateTime', 'groupTypes', 'hasMembersWithLicenseErrors', 'hideFromAddressLists', 'hideFromOutlookClients', 'isArchived', 'isAssignableToRole', 'isManagementRestricted', 'isSubscribedByMail', 'licenseProcessingState', 'mail', 'mailEnabled', 'mailNickname', 'membershipRule', 'membershipRuleProcessingState', 'onPremisesDomainName', 'onPremisesLastSyncDateTime', 'onPremisesNetBiosName', 'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled', 'preferredDataLocation', 'preferredLanguage', 'proxyAddresses', 'renewedDateTime', 'securityEnabled', 'securityIdentifier', 'serviceProvisioningErrors', 'theme', 'uniqueName', 'unseenCount', 'visibility', 'members', 'owners', 'memberOf'],
};

/** A cloud group's SID: S-1-12-1- and the object id's 16 bytes (in .NET Guid byte order) as four unsigned 32-bit numbers. */
function securityIdentifier(id: string): string {
  const hex = id.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  const ordered = Buffer.from([bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6], ...bytes.subarray(8)]);
  return `S-1-12-1-${[0, 4, 8, 12].map((at) => ordered.readUInt32LE(at)).join('-')}`;
}

/** The group's default property set (members "returned by default" on the v1.0 group resource page). */
function groupJson(group: LabGroup): Json {
  return {
    id: group.id.toLowerCase(),
    deletedDateTime: null,
    classification: null,
    createdDateTime: null,
    description: group.description ?? null,
    displayName: group.displayName,
    expirationDateTime: null,
    groupTypes: [],
    isAssignableToRole: null,
    mail: null,
    mailEnabled: group.mailEnabled ?? false,
    mailNickname: group.mailNickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: [],
    renewedDateTime: null,
    securityEnabled: group.securityEnabled,
    securityIdentifier: securityIdentifier(group.id),
    theme: null,
    visibility: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
  };
}

export async function listGroups(request: GraphRequest, q: CollectionQuery): Promise<Json[]> {
  requireDirectory(request, ...GROUP_READ);
  const estate = await request.lab.read();
  return query(estate.tenant.groups.map(groupJson), q, GROUP_RULES).map((g) => select(g, q.select, GROUP_RULES));
}

export async function getGroup(request: GraphRequest, id: string, selected?: string[]): Promise<Json> {
  requireDirectory(request, ...GROUP_READ);
  const estate = await request.lab.read();
  const group = estate.tenant.groups.find((g) => sameId(g.id, id));
  if (!group) throw directoryNotFound(id);
  return select(groupJson(group), selected, GROUP_RULES);
}

/** mailNickname: at most 64 characters, none of @ ( ) \ [ ] " ; : < > , or space, ASCII only (group resource page). */
const MAIL_NICKNAME = /^[\x21-\x7E]{1,64}$/;
const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>, ]/;

function invalidValue(property: string): Error {
  return badRequest('Request_BadRequest', `Invalid value specified for property '${property}' of resource 'Group'.`);
}

/** POST /groups: a security group needs displayName, mailEnabled, mailNickname and securityEnabled (group-post-groups). */
export async function createGroup(request: GraphRequest, body: Json): Promise<Json> {
  requireDirectory(request, ...GROUP_CREATE);
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type' || ['displayName', 'mailNickname', 'mailEnabled', 'securityEnabled', 'description'].includes(key)) continue;
    if (key === 'groupTypes' && Array.isArray(value) && value.length === 0) continue;
    if (GROUP_RULES.members.includes(key) || key.endsWith('@odata.bind')) throw notSimulated(`creating a group with ${key}`);
    throw badRequest('Request_BadRequest', `Property '${key}' does not exist as a declared property or extension property.`);
  }
  for (const required of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) {
    if (body[required] === undefined || body[required] === null) throw badRequest('Request_BadRequest', `A value is required for property '${required}' of resource 'Group'.`);
  }
  const { displayName, mailNickname, mailEnabled, securityEnabled } = body;
  if (typeof displayName !== 'string' || displayName.trim() === '' || displayName.length > 256) throw invalidValue('displayName');
  if (typeof mailNickname !== 'string' || !MAIL_NICKNAME.test(mailNickname) || MAIL_NICKNAME_FORBIDDEN.test(mailNickname)) throw invalidValue('mailNickname');
  if (typeof mailEnabled !== 'boolean') throw invalidValue('mailEnabled');
  if (typeof securityEnabled !== 'boolean') throw invalidValue('securityEnabled');
  const created = await request.lab.update((estate) => {
    const group: LabGroup = { id: randomUUID(), displayName, mailNickname, securityEnabled, members: [], mailEnabled, ...(typeof body.description === 'string' ? { description: body.description } : {}) };
    estate.tenant.groups.push(group);
    recordMutation(estate, `group:${estate.tenant.id}:${displayName}`);
    return group;
  });
  return groupJson(created);
}

// ---------------------------------------------------------------- members

const MEMBER_RULES: CollectionRules = { typeName: 'microsoft.graph.directoryObject', errorCode: 'Request_BadRequest', skipSupported: false, members: ['id', 'deletedDateTime', 'displayName'] };

/** A member the estate names: a group of the tenant by display name, else a device (hybrid-joined devices by name). */
function memberJson(estate: LabEstate, name: string): Json {
  const group = estate.tenant.groups.find((g) => g.displayName.toLowerCase() === name.toLowerCase());
  if (group) return { '@odata.type': '#microsoft.graph.group', id: group.id.toLowerCase(), deletedDateTime: null, displayName: group.displayName, securityEnabled: group.securityEnabled };
  const device = estate.devices.find((d) => d.name.toLowerCase() === name.toLowerCase());
  return {
    '@odata.type': '#microsoft.graph.device',
    id: objectId(estate.tenant.id, 'device', name),
    deletedDateTime: null,
    accountEnabled: true,
    deviceId: objectId(estate.tenant.id, 'deviceId', name),
    displayName: device?.name ?? name,
    operatingSystem: 'Windows',
    operatingSystemVersion: device ? `10.0.${device.osBuild}` : null,
    trustType: 'ServerAd',
  };
}

function groupOrFail(estate: LabEstate, groupId: string): LabGroup {
  const group = estate.tenant.groups.find((g) => sameId(g.id, groupId));
  if (!group) throw directoryNotFound(groupId);
  return group;
}

/** GET /groups/{id}/members: direct members only. */
export async function listMembers(request: GraphRequest, groupId: string, q: CollectionQuery): Promise<Json[]> {
  requireDirectory(request, ...MEMBER_READ);
  const estate = await request.lab.read();
  const group = groupOrFail(estate, groupId);
  return query(group.members.map((m) => memberJson(estate, m)), q, MEMBER_RULES).map((m) => select(m, q.select, MEMBER_RULES));
}

/** POST /groups/{id}/members/$ref: the object must exist; a direct member already there is a 400 (catalog GroupMemberAlreadyExists). */
export async function addMember(request: GraphRequest, groupId: string, directoryObjectId: string): Promise<void> {
  requireDirectory(request, ...MEMBER_WRITE);
  await request.lab.update((estate) => {
    const group = groupOrFail(estate, groupId);
    const candidates = [...estate.tenant.groups.map((g) => g.displayName), ...estate.devices.map((d) => d.name), ...group.members];
    const name = candidates.find((n) => sameId(String(memberJson(estate, n).id), directoryObjectId));
    if (name === undefined) throw directoryNotFound(directoryObjectId);
    if (group.members.some((m) => m.toLowerCase() === name.toLowerCase())) {
      throw new GraphServiceError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'.", 'GroupMemberAlreadyExists');
    }
    group.members.push(name);
    recordMutation(estate, `member:${estate.tenant.id}:${group.displayName}:${name}`);
  });
}

