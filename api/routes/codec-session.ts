import { z } from 'zod';
import { clearedSessionCookie, CODEC_SESSION_PATH, CODEC_SESSION_TTL_SECONDS, sessionCookie, sessionIdFrom } from '../codec-sessions';
import { escapeHtml } from '../docs-page';
import { ApiError } from '../errors';
import { defineRoute, type ApiRoute } from '../route';
import { grants } from '../scopes';
import { errorSchema } from '../schemas';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  '<style>body{font:15px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}input{width:100%;font:inherit;padding:.4rem}code{background:#f3f3f3;padding:0 .2rem}</style>' +
  `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const SIGN_IN_PAGE = page(
  'cloudtrust codec: sign in for the Temporal Web UI',
  '<p>cloudtrust encrypts every payload. The Temporal Web UI shows them decrypted only through this API\'s codec endpoint, ' +
    'and only for someone holding a cloudtrust API token with the <code>read</code> scope.</p>' +
    '<form method="post" action="/codec/session"><label>API token<br><input type="password" name="token" autocomplete="off" required></label>' +
    '<p><button type="submit">Sign in for 8 hours</button></p></form>' +
    '<p>Then, in the Web UI: <b>Settings → Codec Server</b>, endpoint <code>&lt;this API&gt;/codec</code>, and turn on ' +
    '<b>Include cross-origin credentials</b>. Open this page and the Web UI under the same host name (127.0.0.1 and localhost are different sites to a browser).</p>' +
    '<p>The Temporal CLI needs no session: <code>temporal workflow show … --codec-endpoint &lt;this API&gt;/codec --codec-auth "Bearer &lt;token&gt;"</code>.</p>',
);

const signInPageRoute = defineRoute({
  method: 'GET',
  path: CODEC_SESSION_PATH,
  operationId: 'codecSignInPage',
  tag: 'codec',
  summary: 'A page to sign a browser in for the codec routes (public)',
  auth: { kind: 'public' },
  responses: { 200: { description: 'the sign-in page', contentTypes: ['text/html'] } },
  async handle() {
    return { status: 200, body: SIGN_IN_PAGE, contentType: 'text/html; charset=utf-8' };
  },
});

const signInBody = z.object({ token: z.string().min(1).max(200) }).strict();

const signInRoute = defineRoute({
  method: 'POST',
  path: CODEC_SESSION_PATH,
  operationId: 'codecSignIn',
  tag: 'codec',
  summary: 'Open a codec session: the browser gets an HttpOnly cookie that lets the Web UI decode (needs a read token)',
  description:
    'An HTML form post (application/x-www-form-urlencoded) with the field token. The cookie holds a random session id, ' +
    `never the token; it lasts ${CODEC_SESSION_TTL_SECONDS / 3600} hours, ends when the token is revoked or the API restarts, and is sent only to /codec.`,
  auth: { kind: 'public' },
  formBody: true,
  body: signInBody,
  responses: {
    200: { description: 'signed in; Set-Cookie carries the session', contentTypes: ['text/html'] },
    401: { description: 'the token is not valid', schema: errorSchema },
    403: { description: 'the token lacks the read scope', schema: errorSchema },
  },
  async handle({ body }, { tokens, codecSessions }) {
    const check = await tokens.inspect(body.token);
    if (check.status !== 'valid') {
      throw new ApiError(401, 'unauthenticated', check.status === 'revoked' ? 'that token was revoked' : 'that is not a valid cloudtrust API token', {
        hint: 'create one with `cloudtrust token create <name> --scope read`',
      });
    }
    if (!grants(check.record.scopes, 'read')) throw new ApiError(403, 'forbidden', `token ${check.record.id} (${check.record.name}) lacks the read scope`);
    const session = codecSessions.open(check.record);
    return {
      status: 200,
      headers: { 'set-cookie': sessionCookie(session.id) },
      contentType: 'text/html; charset=utf-8',
      body: page('Signed in', `<p>Signed in as <b>${escapeHtml(check.record.name)}</b> until ${escapeHtml(session.expiresAt.toISOString())}. The Web UI can now decode payloads.</p>`),
    };
  },
});

const signOutRoute = defineRoute({
  method: 'DELETE',
  path: CODEC_SESSION_PATH,
  operationId: 'codecSignOut',
  tag: 'codec',
  summary: 'Close the codec session of this browser (public: it only ends the session its cookie names)',
  auth: { kind: 'public' },
  responses: { 204: { description: 'the session, if any, is closed and the cookie cleared' } },
  async handle({ headers }, { codecSessions }) {
    const id = sessionIdFrom(headers.cookie);
    if (id) codecSessions.close(id);
    return { status: 204, headers: { 'set-cookie': clearedSessionCookie() } };
  },
});

export const codecSessionRoutes: ApiRoute[] = [signInPageRoute, signInRoute, signOutRoute];
