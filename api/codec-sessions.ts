import { randomBytes } from 'node:crypto';
import type { TokenRecord, TokenStore } from './tokens';

export const CODEC_SESSION_COOKIE = 'cloudtrust_codec';
export const CODEC_SESSION_TTL_SECONDS = 8 * 3600;
/** Where a browser signs in (GET: the page, POST: the form) and out (DELETE). */
export const CODEC_SESSION_PATH = '/codec/session';

interface Session {
  tokenId: string;
  expiresAt: number;
}

/**
 * Browser sessions for the codec routes, so the Temporal Web UI (which sends cookies when "include cross-origin
 * credentials" is on, but has no cloudtrust token to send) can decode for a person who signed in with a token. The
 * cookie holds a random session id, never the token; a session ends when it expires or its token is revoked. Kept in
 * memory: a restart of the API signs everybody out.
 */
export class CodecSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly tokens: TokenStore) {}

  open(record: TokenRecord): { id: string; expiresAt: Date } {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    const expiresAt = Date.now() + CODEC_SESSION_TTL_SECONDS * 1000;
    this.sessions.set(id, { tokenId: record.id, expiresAt });
    return { id, expiresAt: new Date(expiresAt) };
  }

  /** The token behind a live session; undefined when the session is unknown, expired, or its token was revoked. */
  async resolve(id: string): Promise<TokenRecord | undefined> {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    const record = (await this.tokens.list()).find((r) => r.id === session.tokenId);
    if (!record) this.sessions.delete(id);
    return record;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}

/** The session id a request's Cookie header carries, if any. */
export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CODEC_SESSION_COOKIE && /^[A-Za-z0-9_-]{43}$/.test(value.join('='))) return value.join('=');
  }
  return undefined;
}

export function sessionCookie(id: string): string {
  return `${CODEC_SESSION_COOKIE}=${id}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${CODEC_SESSION_TTL_SECONDS}`;
}

export function clearedSessionCookie(): string {
  return `${CODEC_SESSION_COOKIE}=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0`;
}
