import type { LabEstate } from '../../../estate/schema';
import { principalSid } from '../active-directory/principals';
import { badRequest } from './errors';
import { query, select, type CollectionQuery, type CollectionRules, type Json } from './odata';
import { objectId, requireDirectory, type GraphRequest } from './request';

/**
 * GET /users (v1.0 user resource): the estate's AD users that Entra Connect synced. A synced user carries
 * onPremisesSamAccountName, onPremisesDomainName and onPremisesSecurityIdentifier unless the estate says those
 * attributes are missing; an unsynced one is not in Entra. The onPremises* members are not in the default
 * property set: they come back only when $select names them (user resource page). Needs User.Read.All (or
 * User.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All).
 * Sources: https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-1.0 (properties, $filter support per
 * property), https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0 (permissions).
 */

const USER_RULES: CollectionRules = {
  typeName: 'microsoft.graph.user',
  errorCode: 'Request_BadRequest',
  skipSupported: false,
  members: [
    'id', 'deletedDateTime', 'accountEnabled', 'businessPhones', 'city', 'companyName', 'country', 'createdDateTime', 'creationType', 'department', 'displayName',
    'employeeId', 'externalUserState', 'givenName', 'identities', 'jobTitle', 'lastPasswordChangeDateTime', 'mail', 'mailNickname', 'mobilePhone', 'officeLocation',
    'onPremisesDistinguishedName', 'onPremisesDomainName', 'onPremisesExtensionAttributes', 'onPremisesImmutableId', 'onPremisesLastSyncDateTime',
    'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled', 'onPremisesUserPrincipalName',
    'otherMails', 'passwordPolicies', 'preferredLanguage', 'proxyAddresses', 'securityIdentifier', 'surname', 'usageLocation', 'userPrincipalName', 'userType',
    'memberOf', 'manager', 'signInActivity',
  ],
};

/** Properties the default (non-advanced) query may filter on, and with which operators (user resource page). */
const FILTERABLE: Record<string, RegExp> = {
  id: /^(eq|ne)$/,
  userPrincipalName: /^(eq|startswith)$/,
  onPremisesSecurityIdentifier: /^eq$/,
  onPremisesSamAccountName: /^(eq|startswith)$/,
  displayName: /^(eq|startswith)$/,
  mail: /^(eq|startswith)$/,
  accountEnabled: /^eq$/,
};

const DEFAULT_SET = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

function usersOf(estate: LabEstate): Json[] {
  return estate.forests.flatMap((forest) =>
    forest.domains.flatMap((domain) =>
      domain.users
        .filter((user) => user.entra !== 'absent')
        .map((user) => {
          const upn = user.userPrincipalName ?? `${user.samAccountName}@${domain.dnsName}`;
          const attributes = user.entra === 'synced';
          return {
            id: objectId(estate.tenant.id, 'user', upn),
            businessPhones: [],
            displayName: user.samAccountName,
            givenName: null,
            jobTitle: null,
            mail: null,
            mobilePhone: null,
            officeLocation: null,
            preferredLanguage: null,
            surname: null,
            userPrincipalName: upn,
            accountEnabled: user.enabled,
            onPremisesSyncEnabled: true,
            onPremisesSamAccountName: attributes ? user.samAccountName : null,
            onPremisesDomainName: attributes ? domain.dnsName : null,
            onPremisesSecurityIdentifier: attributes ? principalSid(forest, domain, user.samAccountName) : null,
            onPremisesUserPrincipalName: upn,
          } satisfies Json;
        }),
    ),
  );
}

/** A filter on a property the default query cannot filter on is the directory's 400 (advanced queries are not simulated). */
function checkFilter(filter: string | undefined): void {
  if (!filter) return;
  const clauses = [...filter.matchAll(/([A-Za-z]+)\s+(eq|ne|gt|ge|lt|le)\s/gi), ...[...filter.matchAll(/(startswith)\(\s*([A-Za-z]+)/gi)].map((m) => [m[0], m[2], m[1]])];
  for (const [, property, operator] of clauses) {
    const rule = Object.entries(FILTERABLE).find(([name]) => name.toLowerCase() === property.toLowerCase())?.[1];
    if (rule && rule.test(operator.toLowerCase())) continue;
    if (!USER_RULES.members.some((m) => m.toLowerCase() === property.toLowerCase())) continue;
    throw badRequest('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
  }
}

export async function listUsers(request: GraphRequest, q: CollectionQuery): Promise<Json[]> {
  requireDirectory(request, 'User.Read.All', 'User.ReadWrite.All');
  checkFilter(q.filter);
  const estate = await request.lab.read();
  const selected = q.select && q.select.length > 0 ? q.select : DEFAULT_SET;
  return query(usersOf(estate), q, USER_RULES).map((u) => select(u, selected, USER_RULES));
}
