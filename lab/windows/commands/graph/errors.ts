import { randomUUID } from 'node:crypto';

/**
 * An error answer of the Graph service: the HTTP status and the OData error body {error: {code, message}}. The
 * SDK layer turns it into what the calling command raises: a generated cmdlet writes "[code] : message"
 * (catalog error `errorKey`), Invoke-MgGraphRequest throws an HttpResponseException carrying the status.
 */
export class GraphServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serviceMessage: string,
    /** The catalog error a generated cmdlet raises for it, and its placeholders. */
    readonly errorKey: string,
    readonly fill: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${serviceMessage}`);
  }
}

/** HTTP status -> [HttpStatusCode name, reason phrase] as .NET prints them. */
export const HTTP_STATUS: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  409: ['Conflict', 'Conflict'],
  429: ['TooManyRequests', 'Too Many Requests'],
  500: ['InternalServerError', 'Internal Server Error'],
};

/**
 * Intune's error.message is itself a JSON text (IntuneForbidden / IntuneResourceNotFound in the catalog); this is
 * the text Intune puts in it.
 */
function intuneMessage(text: string, url: string, activityId: string): string {
  return `{\r\n  "_version": 3,\r\n  "Message": "${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${activityId} - Url: ${url}",\r\n  "CustomApiErrorPhrase": "",\r\n  "RetryAfter": null,\r\n  "ErrorSourceService": "",\r\n  "HttpHeaders": "{}"\r\n}`;
}

/** Every Intune request of a tenant without an active Intune licence (catalog IntuneNotLicensed). */
export function intuneNotLicensed(): GraphServiceError {
  return new GraphServiceError(400, 'BadRequest', 'Request not applicable to target tenant.', 'IntuneNotLicensed');
}

export function intuneForbidden(url: string, scopes: string[]): GraphServiceError {
  const activityId = randomUUID();
  const list = scopes.join(', ');
  const text = `Application is not authorized to perform this operation. Application must have one of the following scopes: ${list}`;
  return new GraphServiceError(403, 'Forbidden', intuneMessage(text, url, activityId), 'IntuneForbidden', { scopes: list, activityId, url });
}

export function intuneNotFound(url: string): GraphServiceError {
  const activityId = randomUUID();
  return new GraphServiceError(404, 'ResourceNotFound', intuneMessage('An error has occurred', url, activityId), 'IntuneResourceNotFound', { activityId, url });
}

export function directoryForbidden(): GraphServiceError {
  return new GraphServiceError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', 'GraphAuthorizationRequestDenied');
}

export function directoryNotFound(id: string): GraphServiceError {
  return new GraphServiceError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`, 'DirectoryResourceNotFound', { id });
}

/** Any other OData error (catalog GraphRequestBadRequest: "[code] : message"). */
export function badRequest(code: string, message: string, status = 400): GraphServiceError {
  return new GraphServiceError(status, code, message, 'GraphRequestBadRequest', { code, message });
}

/** A request the lab does not simulate: a lab defect, never a Graph answer. */
export function notSimulated(what: string): Error {
  return new Error(`cloudtrust lab: ${what} is not simulated`);
}
