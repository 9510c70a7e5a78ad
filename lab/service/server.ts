import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callTargets, takeFault } from '../estate/faults';
import type { LabEstate } from '../estate/schema';
import { EstateStore } from '../estate/store';
import { loadCatalog, type Catalog } from '../windows/catalog';
import { commandSimulation, nativeSimulation } from '../windows/commands';
import type { CommandCall } from '../windows/commands/types';
import { createContext, LabCommandError, type CallRecorder, type ErrorSpec } from './context';
import { decodeParameter } from './wire';

const MAX_BODY = 16 * 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface InvokeRequest {
  module: string;
  command: string;
  parameterSet?: string;
  parameters?: Record<string, unknown>;
  computer?: string | null;
  process?: number;
  /** What the calling process stands for (CLOUDTRUST_LAB_EDITION); absent = Desktop. */
  edition?: string | null;
  /** The version of the stub module the call came through. */
  moduleVersion?: string | null;
}

export interface LabServiceOptions {
  /** Called after a call that changed the estate (e.g. to lay out the modules Install-Module installed). */
  afterChange?: (estate: LabEstate) => void;
}

interface Answer {
  output: unknown[];
  warnings: string[];
  errors: ErrorSpec[];
  error: ErrorSpec | null;
  exitCode?: number;
}

/**
 * The lab estate service: the simulated Windows behind the stub modules. It listens on 127.0.0.1 on a random
 * port and answers only requests that carry its random token (given to the lab's own PowerShell processes in
 * their environment). Each request is one command call; the command's simulation applies its documented
 * behaviour to the estate file (under the store's cross-process lock), after the estate's declared faults and latency.
 */
export class LabService {
  readonly token = randomBytes(32).toString('base64url');
  private readonly store: EstateStore;
  private readonly catalog: Catalog;
  private server?: Server;
  /** Command name -> calls answered, for tests and diagnostics. */
  readonly calls = new Map<string, number>();

  private constructor(
    readonly estateFile: string,
    private readonly options: LabServiceOptions,
  ) {
    this.store = new EstateStore(estateFile);
    this.catalog = loadCatalog();
  }

  static async start(estateFile: string, options: LabServiceOptions = {}): Promise<LabService> {
    const service = new LabService(estateFile, options);
    const server = createServer((request, response) => void service.handle(request, response));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    service.server = server;
    return service;
  }

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the lab service is not listening');
    return `http://127.0.0.1:${address.port}/`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private authorised(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const expected = Buffer.from(`Bearer ${this.token}`);
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!this.authorised(request)) return reply(401, { message: 'the lab service answers only the lab processes it started' });
    if (request.method !== 'POST' || request.url !== '/invoke') return reply(404, { message: 'POST /invoke only' });
    let body: InvokeRequest;
    try {
      body = JSON.parse(await readBody(request)) as InvokeRequest;
    } catch (error) {
      return reply(400, { message: `not a JSON request: ${(error as Error).message}` });
    }
    try {
      reply(200, await this.invoke(body));
    } catch (error) {
      reply(500, { message: (error as Error).message });
    }
  }

  private async invoke(request: InvokeRequest): Promise<Answer> {
    const parameters = Object.fromEntries(Object.entries(request.parameters ?? {}).map(([k, v]) => [k, decodeParameter(v)]));
    const computer = request.computer ?? null;
    const recorder: CallRecorder = { warnings: [], errors: [] };
    const answer = (output: unknown[], error: ErrorSpec | null = null, exitCode?: number): Answer => ({
      output,
      warnings: recorder.warnings,
      errors: recorder.errors,
      error,
      ...(exitCode === undefined ? {} : { exitCode }),
    });
    this.calls.set(request.command, (this.calls.get(request.command) ?? 0) + 1);
    const declared = this.catalog.command(request.command);
    // The estate as the call's last update wrote it, for afterChange (no second read of the file).
    let written: LabEstate | undefined;
    const store = this.store;
    const tracked = {
      read: () => store.read(),
      update: <T>(change: (estate: LabEstate) => T | Promise<T>) =>
        store.update(async (estate) => {
          const outcome = await change(estate);
          written = estate;
          return outcome;
        }),
    } as EstateStore;
    const moduleVersion = request.moduleVersion ?? null;
    const context = createContext(this.catalog, declared?.module, declared?.name ?? request.command, tracked, recorder, moduleVersion);

    if (request.module === 'module-import') {
      // A script module's import on the management host (its stand-in asks while it loads): what the estate says it costs.
      await sleep((await this.store.read()).managementHost.moduleImportMs);
      return answer([]);
    }
    const failure = await this.sufferFaults(request.command, parameters, computer);
    if (failure) return answer([], failure);
    try {
      if (request.module === 'native') {
        const native = nativeSimulation(request.command);
        if (!native) return answer([], defect(`the native program ${request.command} is not simulated`));
        const outcome = await native(((parameters.arguments as string[]) ?? []).map(String), computer, context);
        return answer(outcome.lines, null, outcome.exitCode);
      }
      if (!declared) return answer([], defect(`${request.command} is not in the lab's command catalog`));
      const simulation = commandSimulation(declared.name);
      if (!simulation) return answer([], defect(`${declared.name} (${declared.module.module}) is declared in the catalog but not simulated`));
      if (parameters.WhatIf === true) return answer([]);
      const call: CommandCall = {
        module: declared.module.module,
        command: declared.name,
        parameterSet: request.parameterSet ?? '',
        parameters,
        computer,
        process: request.process ?? 0,
        edition: request.edition === 'Core' ? 'Core' : 'Desktop',
        moduleVersion,
        has: (name) => findKey(parameters, name) !== undefined,
        get: <T>(name: string) => {
          const key = findKey(parameters, name);
          return (key === undefined ? undefined : parameters[key]) as T | undefined;
        },
      };
      const output = (await simulation(call, context)) ?? [];
      if (written && this.options.afterChange) this.options.afterChange(written);
      return answer(output);
    } catch (error) {
      if (error instanceof LabCommandError) return answer([], error.spec);
      return answer([], defect(`${request.command}: ${(error as Error).message}`));
    }
  }

  private async sufferFaults(command: string, parameters: Record<string, unknown>, computer: string | null): Promise<ErrorSpec | null> {
    const estate = await this.store.read();
    const declared = estate.faults.some((f) => f.command.toLowerCase() === command.toLowerCase());
    const action = declared ? await this.store.update((e) => takeFault(e, command, callTargets(parameters, computer))) : { kind: 'none' as const, latencyMs: estate.latencyMs };
    if (action.kind === 'hang') await new Promise(() => undefined);
    if (action.kind !== 'hang' && action.latencyMs > 0) await sleep(action.latencyMs);
    if (action.kind !== 'fail') return null;
    return {
      exceptionType: action.exceptionType,
      message: action.message,
      errorId: action.errorId,
      category: action.category,
      targetObject: null,
      ...(action.statusCode === undefined ? {} : { statusCode: action.statusCode }),
      ...(action.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: action.retryAfterSeconds }),
    };
  }
}

function defect(message: string): ErrorSpec {
  return { exceptionType: 'System.NotImplementedException', message: `cloudtrust lab: ${message}`, errorId: 'CloudtrustLabDefect', category: 'NotImplemented', targetObject: null };
}

function findKey(parameters: Record<string, unknown>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.keys(parameters).find((k) => k.toLowerCase() === wanted);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
