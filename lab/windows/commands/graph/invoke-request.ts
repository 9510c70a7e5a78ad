import { randomUUID } from 'node:crypto';
import type { CommandCall, CommandContext, CommandSimulation } from '../types';
import { addMember, createGroup, getGroup, getOrganization, listGroups, listMembers, listOrganization } from './directory';
import {
  assignConfiguration,
  createAssignment,
  createConfiguration,
  deleteConfiguration,
  getAssignment,
  getConfiguration,
  listAssignments,
  listConfigurations,
  updateConfiguration,
} from './device-configurations';
import { getEnrollmentConfiguration, listEnrollmentConfigurations } from './enrollment';
import { badRequest, GraphServiceError, HTTP_STATUS, notSimulated } from './errors';
import type { CollectionQuery, Json } from './odata';
import { graphRequest, type GraphRequest } from './request';
import { PAGE_SIZE } from './sdk';
import { connectionOf, GRAPH_ENDPOINTS, type GraphConnection } from './session';
import { assignPolicy, createPolicy, deletePolicy, getPolicy, getPolicyAssignment, listPolicies, listPolicyAssignments, replacePolicy, updatePolicy } from './settings-catalog';
import { listUsers } from './users';

/**
 * Invoke-MgGraphRequest (InvokeMgGraphRequest.cs): a raw request on the signed-in process's Graph client. -Uri is
 * relative ('v1.0/...', '/beta/...') or absolute on the Global cloud's host. A JSON response becomes a Hashtable by
 * default (-OutputType PSObject / Json otherwise); 204 writes nothing. A non-success status is a terminating
 * HttpResponseException: "Response status code does not indicate success: <HttpStatusCode> (<reason>)."
 */

/** Query options, and the $skiptoken of a next page (the offset this lab's nextLink carries). */
type Query = CollectionQuery & { expand?: string[]; offset: number };

interface Response {
  status: number;
  body: Json | null;
}

interface Route {
  method: string;
  path: RegExp;
  versions?: Array<'v1.0' | 'beta'>;
  handle: (r: GraphRequest, m: RegExpMatchArray, q: Query, body: unknown) => Promise<Response>;
}

const ok = (body: Json | null, status = 200): Response => ({ status, body });

function collection(r: GraphRequest, context: string, items: Json[], q: Query): Json {
  const offset = q.offset;
  const size = q.top ?? PAGE_SIZE;
  const pageItems = items.slice(offset, offset + size);
  const body: Json = { '@odata.context': `https://${new URL(r.url).host}/${r.version}/$metadata#${context}`, value: pageItems };
  if (q.top === undefined && offset + size < items.length) {
    const next = new URL(r.url);
    next.searchParams.set('$skiptoken', String(offset + size));
    body['@odata.nextLink'] = next.toString();
  }
  return body;
}

const entity = (r: GraphRequest, context: string, json: Json): Json => ({ '@odata.context': `https://${new URL(r.url).host}/${r.version}/$metadata#${context}/$entity`, ...json });

const asObject = (body: unknown): Json => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('BadRequest', 'Empty Payload. JSON content expected.');
  return body as Json;
};

const GUID = '([0-9a-fA-F-]{36})';
const ROUTES: Route[] = [
  { method: 'GET', path: /^organization$/, handle: async (r, _m, q) => ok(collection(r, 'organization', await listOrganization(r, q), q)) },
  { method: 'GET', path: new RegExp(`^organization/${GUID}$`), handle: async (r, m, q) => ok(entity(r, 'organization', await getOrganization(r, m[1], q.select))) },
  { method: 'GET', path: /^users$/, handle: async (r, _m, q) => ok(collection(r, 'users', await listUsers(r, q), q)) },
  { method: 'GET', path: /^groups$/, handle: async (r, _m, q) => ok(collection(r, 'groups', await listGroups(r, q), q)) },
  { method: 'POST', path: /^groups$/, handle: async (r, _m, _q, b) => ok(entity(r, 'groups', await createGroup(r, asObject(b))), 201) },
  { method: 'GET', path: new RegExp(`^groups/${GUID}$`), handle: async (r, m, q) => ok(entity(r, 'groups', await getGroup(r, m[1], q.select))) },
  { method: 'GET', path: new RegExp(`^groups/${GUID}/members$`), handle: async (r, m, q) => ok(collection(r, 'directoryObjects', await listMembers(r, m[1], q), q)) },
  {
    method: 'POST',
    path: new RegExp(`^groups/${GUID}/members/\\$ref$`),
    handle: async (r, m, _q, b) => {
      const reference = String(asObject(b)['@odata.id'] ?? '');
      await addMember(r, m[1], reference.split('/').pop() ?? '');
      return ok(null, 204);
    },
  },
  { method: 'GET', path: /^deviceManagement\/deviceConfigurations$/, handle: async (r, _m, q) => ok(collection(r, 'deviceManagement/deviceConfigurations', await listConfigurations(r, q), q)) },
  { method: 'POST', path: /^deviceManagement\/deviceConfigurations$/, handle: async (r, _m, _q, b) => ok(entity(r, 'deviceManagement/deviceConfigurations', await createConfiguration(r, asObject(b))), 201) },
  {
    method: 'GET',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}$`),
    handle: async (r, m, q) => ok(entity(r, 'deviceManagement/deviceConfigurations', await getConfiguration(r, m[1], { select: q.select, expand: q.expand }))),
  },
  {
    method: 'PATCH',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}$`),
    handle: async (r, m, _q, b) => {
      await updateConfiguration(r, m[1], asObject(b));
      return ok(null, 204);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}$`),
    handle: async (r, m) => {
      await deleteConfiguration(r, m[1]);
      return ok(null, 204);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}/assignments$`),
    handle: async (r, m, q) => ok(collection(r, `deviceManagement/deviceConfigurations('${m[1]}')/assignments`, await listAssignments(r, m[1], q), q)),
  },
  {
    method: 'GET',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}/assignments/([^/]+)$`),
    handle: async (r, m, q) => ok(entity(r, `deviceManagement/deviceConfigurations('${m[1]}')/assignments`, await getAssignment(r, m[1], m[2], q.select))),
  },
  {
    method: 'POST',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}/assignments$`),
    handle: async (r, m, _q, b) => ok(entity(r, `deviceManagement/deviceConfigurations('${m[1]}')/assignments`, await createAssignment(r, m[1], asObject(b))), 201),
  },
  {
    method: 'POST',
    path: new RegExp(`^deviceManagement/deviceConfigurations/${GUID}/assign$`),
    handle: async (r, m, _q, b) => ok({ '@odata.context': `https://${new URL(r.url).host}/${r.version}/$metadata#Collection(microsoft.graph.deviceConfigurationAssignment)`, value: await assignConfiguration(r, m[1], b) }),
  },
  { method: 'GET', path: /^deviceManagement\/deviceEnrollmentConfigurations$/, handle: async (r, _m, q) => ok(collection(r, 'deviceManagement/deviceEnrollmentConfigurations', await listEnrollmentConfigurations(r, q), q)) },
  {
    method: 'GET',
    path: /^deviceManagement\/deviceEnrollmentConfigurations\/([^/]+)$/,
    handle: async (r, m, q) => ok(entity(r, 'deviceManagement/deviceEnrollmentConfigurations', await getEnrollmentConfiguration(r, m[1], q.select))),
  },
  { method: 'GET', path: /^deviceManagement\/configurationPolicies$/, handle: async (r, _m, q) => ok(collection(r, 'deviceManagement/configurationPolicies', await listPolicies(r, q), q)) },
  { method: 'POST', path: /^deviceManagement\/configurationPolicies$/, handle: async (r, _m, _q, b) => ok(entity(r, 'deviceManagement/configurationPolicies', await createPolicy(r, asObject(b))), 201) },
  {
    method: 'GET',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}$`),
    handle: async (r, m, q) => ok(entity(r, 'deviceManagement/configurationPolicies', await getPolicy(r, m[1], { select: q.select, expand: q.expand }))),
  },
  {
    method: 'PATCH',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}$`),
    handle: async (r, m, _q, b) => {
      await updatePolicy(r, m[1], asObject(b));
      return ok(null, 204);
    },
  },
  {
    method: 'PUT',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}$`),
    handle: async (r, m, _q, b) => {
      await replacePolicy(r, m[1], asObject(b));
      return ok(null, 204);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}$`),
    handle: async (r, m) => {
      await deletePolicy(r, m[1]);
      return ok(null, 204);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}/assignments$`),
    handle: async (r, m, q) => ok(collection(r, `deviceManagement/configurationPolicies('${m[1]}')/assignments`, await listPolicyAssignments(r, m[1], q), q)),
  },
  {
    method: 'GET',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}/assignments/([^/]+)$`),
    handle: async (r, m, q) => ok(entity(r, `deviceManagement/configurationPolicies('${m[1]}')/assignments`, await getPolicyAssignment(r, m[1], m[2], q.select))),
  },
  {
    method: 'POST',
    path: new RegExp(`^deviceManagement/configurationPolicies/${GUID}/assign$`),
    handle: async (r, m, _q, b) => ok({ '@odata.context': `https://${new URL(r.url).host}/${r.version}/$metadata#Collection(microsoft.graph.deviceManagementConfigurationPolicyAssignment)`, value: await assignPolicy(r, m[1], b) }),
  },
];

/**
 * The request line: version, path (without the version) and query options. A relative -Uri goes to the Graph
 * endpoint of the connected environment (GraphSession.Instance.Environment.GraphEndpoint). An absolute one is sent
 * as written: to another cloud's Graph endpoint it carries a token whose audience is the connected cloud's, which
 * that service refuses with 401 InvalidAuthenticationToken (simulated; inferred from the token's audience, not
 * reproduced against a sovereign cloud).
 */
function parseUri(uri: string, connection: GraphConnection): { version: 'v1.0' | 'beta'; path: string; query: URLSearchParams; full: string } {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
  const connectedHost = GRAPH_ENDPOINTS[connection.environment];
  const url = new URL(absolute ? uri : `https://${connectedHost}/${uri.replace(/^\/+/, '')}`);
  const host = url.host.toLowerCase();
  if (host !== connectedHost) {
    if (Object.values(GRAPH_ENDPOINTS).includes(host)) throw badRequest('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', 401);
    throw notSimulated(`Invoke-MgGraphRequest to ${url.host}`);
  }
  const [version, ...rest] = decodeURIComponent(url.pathname).replace(/^\/+/, '').split('/');
  if (version !== 'v1.0' && version !== 'beta') throw badRequest('BadRequest', `Invalid version: ${version}`);
  return { version, path: rest.join('/').replace(/\/+$/, ''), query: url.searchParams, full: url.toString() };
}

function queryOptions(search: URLSearchParams): Query {
  const list = (name: string) => (search.has(name) ? search.get(name)!.split(',') : undefined);
  const number = (name: string) => (search.has(name) ? Number(search.get(name)) : undefined);
  return { filter: search.get('$filter') ?? undefined, select: list('$select'), orderBy: list('$orderby'), top: number('$top'), skip: number('$skip'), expand: list('$expand'), offset: number('$skiptoken') ?? 0 };
}

/** A JSON value as the Hashtable Invoke-MgGraphRequest writes: nested objects as Hashtables, arrays as object[]. */
function hashtable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hashtable);
  if (value !== null && typeof value === 'object') return { $t: 'hashtable', v: Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, hashtable(v)])) };
  return value;
}

function psObject(lab: CommandContext, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => psObject(lab, item));
  if (value !== null && typeof value === 'object') {
    return lab.object('System.Management.Automation.PSCustomObject', Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, psObject(lab, v)])));
  }
  return value;
}

function output(call: CommandCall, lab: CommandContext, body: Json | null): unknown[] {
  if (body === null) return [];
  switch ((call.get<string>('OutputType') ?? 'HashTable').toLowerCase()) {
    case 'json':
      return [JSON.stringify(body)];
    case 'psobject':
      return [psObject(lab, body)];
    case 'httpresponsemessage':
      throw notSimulated('Invoke-MgGraphRequest -OutputType HttpResponseMessage');
    default:
      return [hashtable(body)];
  }
}

function requestBody(call: CommandCall): unknown {
  const body = call.get<unknown>('Body');
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
}

const UNSIMULATED = ['OutputFilePath', 'InputFilePath', 'InferOutputFileName', 'PassThru', 'SessionVariable', 'ResponseHeadersVariable', 'StatusCodeVariable', 'GraphRequestSession'];

export const invokeRequestCommands: Record<string, CommandSimulation> = {
  'Invoke-MgGraphRequest': async (call, lab) => {
    for (const name of UNSIMULATED) if (call.has(name)) throw notSimulated(`Invoke-MgGraphRequest -${name}`);
    // ValidateParameters checks the body before the sign-in.
    const method = (call.get<string>('Method') ?? 'GET').toUpperCase();
    if ((method === 'POST' || method === 'PATCH') && (call.get<unknown>('Body') ?? null) === null) lab.fail('InvokeBodyMissing', { method });
    const connection = connectionOf(call.process);
    if (!connection) return lab.fail('InvokeAuthenticationNeeded');
    const rawUri = call.get<string>('Uri')!;
    let target = `Method: ${method}, RequestUri: '${rawUri}'`;
    try {
      const uri = parseUri(rawUri, connection);
      const request = graphRequest(lab, connection, uri.version, uri.path);
      request.url = uri.full;
      target = `Method: ${method}, RequestUri: '${uri.full}'`;
      const route = ROUTES.find((r) => r.method === method && r.path.test(uri.path));
      if (!route) throw notSimulated(`${method} ${uri.version}/${uri.path}`);
      const body = requestBody(call);
      const response = await route.handle(request, uri.path.match(route.path)!, queryOptions(uri.query), body);
      return output(call, lab, response.body);
    } catch (error) {
      if (!(error instanceof GraphServiceError)) throw error;
      if (call.get<boolean>('SkipHttpErrorCheck')) {
        return output(call, lab, { error: { code: error.code, message: error.serviceMessage, innerError: { date: lab.now().toISOString().replace(/\.\d+Z$/, ''), 'request-id': randomUUID() } } });
      }
      const [statusCode, reasonPhrase] = HTTP_STATUS[error.status] ?? [String(error.status), ''];
      lab.fail('InvokeGraphHttpResponseException', { statusCode, reasonPhrase }, { statusCode: error.status, targetObject: target });
    }
  },
};
