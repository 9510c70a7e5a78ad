import type { FastifyRequest } from 'fastify';
import { registerSecret } from '../worker/log';
import { sessionIdFrom, type CodecSessions } from './codec-sessions';
import { ApiError } from './errors';
import { grants, highestScope, type Scope } from './scopes';
import type { TokenRecord, TokenStore } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token that authenticated this request; null on public and webhook routes. */
    apiToken: TokenRecord | null;
  }
}

const REALM = 'cloudtrust';
const CREATE_HINT = (scope: Scope) => `create a token with \`cloudtrust token create <name> --scope ${scope}\``;

/**
 * Checks the bearer token of a request against the scope a route needs. Refusals say exactly what is wrong without
 * echoing any part of the Authorization header.
 */
export async function authenticate(request: FastifyRequest, tokens: TokenStore, needed: Scope, sessions?: CodecSessions): Promise<TokenRecord> {
  const header = request.headers.authorization;
  const sessionId = sessions && !header ? sessionIdFrom(request.headers.cookie) : undefined;
  if (sessions && sessionId) {
    const record = await sessions.resolve(sessionId);
    if (!record) throw unauthenticated('the codec session has expired or its token was revoked: sign in again at /codec/session', needed, 'invalid_token');
    return withScope(record, needed);
  }
  if (header === undefined || header.trim() === '') {
    throw unauthenticated(`this route needs a bearer token with the ${needed} scope: send the header Authorization: Bearer <token>`, needed);
  }
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer') {
    const message = scheme.startsWith('ct_')
      ? 'the Authorization header holds a token without its scheme: send Authorization: Bearer <token>'
      : 'the Authorization header must use the Bearer scheme: Authorization: Bearer <token>';
    throw unauthenticated(message, needed, 'invalid_request');
  }
  if (token === undefined) throw unauthenticated('the Authorization header says Bearer but carries no token', needed, 'invalid_request');
  if (rest.length > 0) throw unauthenticated('the Authorization header must be exactly "Bearer <token>" (one token, no spaces in it)', needed, 'invalid_request');

  const check = await tokens.inspect(token);
  switch (check.status) {
    case 'not-a-token':
      throw unauthenticated('the bearer token is not a cloudtrust API token (those read ct_<id>_<secret>)', needed, 'invalid_token');
    case 'unknown':
      throw unauthenticated('the bearer token is not known to this server (mistyped, or issued for another data directory)', needed, 'invalid_token');
    case 'revoked':
      throw unauthenticated(`the bearer token ${check.record.id} (${check.record.name}) was revoked at ${check.revokedAt}`, needed, 'invalid_token');
    case 'valid':
      break;
  }
  // Any later log line that somehow carries the token has it masked.
  registerSecret(token);
  return withScope(check.record, needed);
}

function withScope(record: TokenRecord, needed: Scope): TokenRecord {
  if (!grants(record.scopes, needed)) {
    const held = highestScope(record.scopes) ?? 'none';
    throw new ApiError(403, 'forbidden', `this route needs the ${needed} scope; token ${record.id} (${record.name}) has ${held}`, {
      hint: CREATE_HINT(needed),
      headers: { 'www-authenticate': challenge({ error: 'insufficient_scope', error_description: `needs the ${needed} scope`, scope: needed }) },
    });
  }
  return record;
}

function unauthenticated(message: string, needed: Scope, error?: 'invalid_request' | 'invalid_token'): ApiError {
  const params: Record<string, string> = error ? { error, error_description: message } : {};
  return new ApiError(401, 'unauthenticated', message, {
    hint: CREATE_HINT(needed),
    headers: { 'www-authenticate': challenge({ ...params, scope: needed }) },
  });
}

/** An RFC 6750 challenge: Bearer realm="cloudtrust", error="…", … */
function challenge(params: Record<string, string>): string {
  const quoted = Object.entries({ realm: REALM, ...params }).map(([key, value]) => `${key}="${value.replace(/["\\]/g, "'")}"`);
  return `Bearer ${quoted.join(', ')}`;
}
