import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadHooks } from '../../api/hooks';
import { startApiServer, type RunningApi } from '../../api/server';
import { openTokenStore, type TokenStore } from '../../api/tokens';
import type { RolloutSpec } from '../../model/spec';
import type { CloudtrustLogger } from '../../worker/log';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';
import type { WorkflowTestContext } from '../workflow/environment';

export const labDefaultSpec: RolloutSpec = readLabDefaultSpec();
/** The lab spec as written (no defaults filled in), as a client would send it. */
export const labDefaultInput: Record<string, unknown> = JSON.parse(JSON.stringify(labDefaultSpec));

export const HOOK_KEY = 'test-hook-key-0123456789abcdefghijklmnopqrstuvwxyz';

export function uniqueSpec(change: (spec: RolloutSpec) => void = () => undefined): RolloutSpec {
  const spec = structuredClone(labDefaultSpec);
  spec.name = `api-${randomUUID().slice(0, 8)}`;
  spec.options.replicationPollInterval = '1s';
  change(spec);
  return spec;
}

export interface LogLine {
  level: string;
  message: string;
  meta?: unknown;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface ApiFixture {
  context: WorkflowTestContext;
  api: RunningApi;
  tokens: TokenStore;
  /** One token per scope, plus one revoked. */
  token: { read: string; operate: string; admin: string; revoked: string };
  taskQueue: string;
  lab: LabWorker;
  dataDir: string;
  /** Every line the API logged. */
  logs: LogLine[];
  /** Hooks: `plan-hook` (plan of hookSpecs.plan) and `apply-hook` (apply of hookSpecs.apply). */
  hookSpecs: { plan: RolloutSpec; apply: RolloutSpec };
  call(method: string, route: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string | Buffer }): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** A real Temporal dev server, a worker on the lab estate, and the API on 127.0.0.1 with a token of each scope. */
export async function startApiFixture(): Promise<ApiFixture> {
  const lab = await startLabWorker({ taskQueuePrefix: 'api' });
  const { context, taskQueue } = lab;

  const dataDir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-api-'));
  const tokens = openTokenStore(dataDir);
  const token = {
    read: (await tokens.issue({ name: 'reader', scope: 'read' })).token,
    operate: (await tokens.issue({ name: 'operator-1', scope: 'operate' })).token,
    admin: (await tokens.issue({ name: 'admin', scope: 'admin' })).token,
    revoked: (await tokens.issue({ name: 'former', scope: 'admin' })).token,
  };
  await tokens.revoke('former');

  const hookSpecs = { plan: uniqueSpec(), apply: uniqueSpec() };
  writeFileSync(path.join(dataDir, 'plan.yaml'), stringify(hookSpecs.plan));
  writeFileSync(path.join(dataDir, 'apply.yaml'), stringify(hookSpecs.apply));
  writeFileSync(
    path.join(dataDir, 'hooks.json'),
    JSON.stringify({
      hooks: [
        { name: 'plan-hook', action: 'plan', spec: 'plan.yaml', secret: 'itsm' },
        { name: 'apply-hook', action: 'apply', spec: 'apply.yaml', secret: 'itsm' },
      ],
    }),
  );
  const hooks = await loadHooks({ dataDir, env: { CLOUDTRUST_HOOK_SECRET_ITSM: HOOK_KEY } });

  const logs: LogLine[] = [];
  const at = (level: string) => (message: string, meta?: unknown) => void logs.push({ level, message, meta });
  const logger: CloudtrustLogger = { log: (level, message, meta) => logs.push({ level, message, meta }), trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };

  const api = await startApiServer({
    client: context.env.client,
    taskQueue,
    tokens,
    keyring: context.keyring,
    hooks,
    corsOrigins: ['http://localhost:8233'],
    logger,
    port: 0,
  });

  async function call(method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string | Buffer } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${api.url}${route}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  return {
    context,
    api,
    tokens,
    token,
    taskQueue,
    lab,
    dataDir,
    logs,
    hookSpecs,
    call,
    async close() {
      await api?.close();
      await lab.stop();
    },
  };
}

/** Every path to a string in a value, with the value there: [['spec', 'domains', 0, 'name'], 'corp.contoso.com'], … */
export function stringLeaves(value: unknown, at: Array<string | number> = []): Array<[Array<string | number>, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...at, key]));
  return [];
}

/** `spec.domains[0].name` for ['spec', 'domains', 0, 'name'], as validation problems name it. */
export function pathText(at: Array<string | number>): string {
  return at.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');
}

export function withValue<T>(value: T, at: Array<string | number>, replacement: unknown): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at[at.length - 1]] = replacement;
  return copy as T;
}
