import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TriggerError } from '../client/errors';
import { withFileLock } from '../worker/file-lock';
import { describeIssues } from '../model/zod-issues';
import { SCOPES, scopesUpTo, type Scope } from './scopes';

export type { Scope } from './scopes';

export const TOKENS_FILE_NAME = 'api-tokens.json';

/** A token as stored: its SHA-256, never the token itself. */
export interface TokenRecord {
  id: string;
  name: string;
  /** Every scope the token holds (an operate token holds read and operate). */
  scopes: Scope[];
  /** Hex SHA-256 of the whole token string. */
  sha256: string;
  createdAt: string;
}

export type TokenCheck =
  | { status: 'valid'; record: TokenRecord }
  | { status: 'revoked'; record: TokenRecord; revokedAt: string }
  | { status: 'unknown' }
  | { status: 'not-a-token' };

export interface TokenStore {
  /** Creates a token; the returned `token` string is the only time it is ever shown. */
  issue(input: { name: string; scope: Scope }): Promise<{ token: string; record: TokenRecord }>;
  /** Tokens that are not revoked, oldest first. */
  list(): Promise<TokenRecord[]>;
  /** Revokes the token with this id or name; false when no such token is active. */
  revoke(idOrName: string): Promise<boolean>;
  /** The record of a valid, unrevoked token, else undefined. */
  verify(token: string): Promise<TokenRecord | undefined>;
  /** Like verify, but says why a token is refused (for precise 401 messages). */
  inspect(token: string): Promise<TokenCheck>;
}

export const tokenNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'must be a name of letters, digits and _ . @ - (at most 64); it is recorded as the approver');

const ID_HEX_LENGTH = 12;
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^ct_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

const storedTokenSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{12}$/),
    name: tokenNameSchema,
    scopes: z.array(z.enum(SCOPES)).min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .strict();
type StoredToken = z.output<typeof storedTokenSchema>;

const tokensFileSchema = z.object({ version: z.literal(1), tokens: z.array(storedTokenSchema) }).strict();
type TokensFile = z.output<typeof tokensFileSchema>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

const publicRecord = ({ revokedAt: _revoked, ...record }: StoredToken): TokenRecord => record;

/**
 * API tokens in `<dataDir>/api-tokens.json` (mode 0600, replaced atomically). The file holds hashes only; a token
 * reads `ct_<id>_<secret>`, with 32 random bytes of secret. Revoked tokens stay in the file, marked, so a request with
 * one is told it was revoked. The file is re-read when it changes, so tokens created or revoked by another process
 * apply at once.
 */
export function openTokenStore(dataDir: string): TokenStore {
  const file = path.join(dataDir, TOKENS_FILE_NAME);
  let cached: { key: string; content: TokensFile } | undefined;
  let writes: Promise<unknown> = Promise.resolve();

  async function load(): Promise<TokensFile> {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!info) return { version: 1, tokens: [] };
    const key = `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (cached?.key === key) return cached.content;
    const content = parseTokensFile(await readFile(file, 'utf8'), file);
    cached = { key, content };
    return content;
  }

  async function save(content: TokensFile): Promise<void> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(draft, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
      await chmod(draft, 0o600);
      await rename(draft, file);
    } finally {
      await rm(draft, { force: true });
    }
  }

  /** Read-modify-write, one at a time within this process and, through a lock directory, across processes. */
  function mutate<T>(change: (content: TokensFile) => T): Promise<T> {
    const next = writes.then(async () => {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      return withFileLock(`${file}.lock`, `the token file ${file}`, async () => {
        const content = structuredClone(await load());
        const result = change(content);
        await save(content);
        return result;
      });
    });
    writes = next.catch(() => undefined);
    return next;
  }

  async function inspect(token: string): Promise<TokenCheck> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return { status: 'not-a-token' };
    const presented = sha256(token);
    const candidates = (await load()).tokens.filter((t) => t.id === match[1]);
    const found = candidates.find((t) => timingSafeEqual(Buffer.from(t.sha256, 'hex'), presented));
    if (!found) return { status: 'unknown' };
    if (found.revokedAt) return { status: 'revoked', record: publicRecord(found), revokedAt: found.revokedAt };
    return { status: 'valid', record: publicRecord(found) };
  }

  return {
    async issue(input) {
      const name = tokenNameSchema.safeParse(input.name);
      if (!name.success) throw new TriggerError('invalid-input', `token name ${JSON.stringify(input.name)} ${name.error.issues[0].message}`);
      // `token revoke` takes an id or a name: a name shaped like an id would make that ambiguous.
      if (/^[0-9a-f]{12}$/.test(name.data)) throw new TriggerError('invalid-input', `token name ${name.data} looks like a token id (12 hex digits): choose another name`);
      if (!SCOPES.includes(input.scope)) throw new TriggerError('invalid-input', `scope must be one of ${SCOPES.join(', ')}`);
      const id = randomBytes(ID_HEX_LENGTH / 2).toString('hex');
      const token = `ct_${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
      const record: TokenRecord = { id, name: name.data, scopes: scopesUpTo(input.scope), sha256: sha256(token).toString('hex'), createdAt: new Date().toISOString() };
      await mutate((content) => {
        if (content.tokens.some((t) => !t.revokedAt && t.name === record.name)) {
          throw new TriggerError('conflict', `a token named ${record.name} already exists`, 'revoke it first, or choose another name');
        }
        content.tokens.push(record);
      });
      return { token, record };
    },
    async list() {
      return (await load()).tokens.filter((t) => !t.revokedAt).map(publicRecord);
    },
    revoke(idOrName) {
      return mutate((content) => {
        const active = content.tokens.filter((t) => !t.revokedAt && (t.id === idOrName || t.name === idOrName));
        const revokedAt = new Date().toISOString();
        for (const token of active) token.revokedAt = revokedAt;
        return active.length > 0;
      });
    },
    async verify(token) {
      const check = await inspect(token);
      return check.status === 'valid' ? check.record : undefined;
    },
    inspect,
  };
}

function parseTokensFile(text: string, file: string): TokensFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the token file ${file} is not valid JSON`);
  }
  const parsed = tokensFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the token file ${file} is not valid:\n  ${describeIssues(parsed.error).join('\n  ')}`);
  return parsed.data;
}
