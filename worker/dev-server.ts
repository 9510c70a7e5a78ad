import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { createLogger } from './log';

export type SearchAttributeTypeName = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  cliPath: string;
  dataDir: string;
  ip?: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  searchAttributes?: Record<string, SearchAttributeTypeName>;
  /** A codec server the Web UI asks to decode payloads (cloudtrust's API serves one at /codec). */
  uiCodecEndpoint?: string;
  /** Receives every line the server prints, parsed from JSON when possible. */
  log?: (entry: object) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string;
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 200;
const STOP_GRACE_MS = 10_000;
const KEPT_OUTPUT_LINES = 30;

const serverLogger = createLogger('temporal-dev-server');

/** Runs `temporal server start-dev` on loopback with a SQLite file in `dataDir`, and resolves once it serves requests. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const namespace = options.namespace ?? 'default';
  const log = options.log ?? logServerLine;
  if (!isLoopback(ip)) {
    throw new Error(`The embedded dev server only listens on loopback; ${ip} is not a loopback address`);
  }
  await assertPortFree(ip, port, 'CLOUDTRUST_DEV_PORT');
  await assertPortFree(ip, uiPort, 'CLOUDTRUST_DEV_UI_PORT');
  await mkdir(options.dataDir, { recursive: true });

  const child = spawn(options.cliPath, devServerArgs({ ...options, ip, port, uiPort, namespace }), {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    // Its own process group: a terminal's Ctrl-C reaches the worker, which drains its activities while the server
    // is still up, and then stops the server itself.
    detached: process.platform !== 'win32',
  });
  const recentOutput: string[] = [];
  let stopping = false;
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream] }).on('line', (line) => {
      recentOutput.push(line);
      if (recentOutput.length > KEPT_OUTPUT_LINES) recentOutput.shift();
      log({ source: 'temporal-dev-server', stream, ...parseLine(line), ...(stopping ? { duringShutdown: true } : {}) });
    });
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not be started (${error.message})`));
    child.once('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    await stopChild(child, exited);
  };

  const address = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  const failure = await readinessFailure(address, namespace, exited);
  if (failure) {
    await stop();
    // Let readline deliver the last lines the process wrote before it died.
    await sleep(50);
    throw new Error(
      `Temporal dev server ${failure} (${options.cliPath} server start-dev).\nLast output:\n${recentOutput.join('\n') || '(none)'}`,
    );
  }
  return {
    address,
    namespace,
    uiUrl: `http://${ip.includes(':') ? `[${ip}]` : ip}:${uiPort}`,
    pid: child.pid as number,
    stop,
  };
}

function devServerArgs(options: Required<Omit<DevServerOptions, 'log' | 'searchAttributes' | 'uiCodecEndpoint'>> & DevServerOptions): string[] {
  const args = [
    'server', 'start-dev',
    '--ip', options.ip,
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--db-filename', path.join(options.dataDir, 'temporal.sqlite'),
    '--log-format', 'json',
    '--log-level', 'warn',
  ];
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  return args;
}

/** Undefined once the server answers for `namespace`; otherwise why it never did. */
async function readinessFailure(address: string, namespace: string, exited: Promise<string>): Promise<string | undefined> {
  const polling = new AbortController();
  try {
    return await Promise.race([
      waitUntilServing(address, namespace, polling.signal).then(() => undefined),
      exited.then((how) => `${how} before it was ready`),
    ]);
  } catch (error) {
    return (error as Error).message;
  } finally {
    polling.abort();
  }
}

async function waitUntilServing(address: string, namespace: string, abort: AbortSignal): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const [host, port] = splitAddress(address);
  let lastError: unknown;
  while (Date.now() < deadline && !abort.aborted) {
    if (await acceptsConnections(host, port)) {
      const connection = Connection.lazy({ address, connectTimeout: 2_000 });
      try {
        await connection.ensureConnected();
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (error) {
        lastError = error;
      } finally {
        await connection.close();
      }
    }
    await sleep(READY_POLL_MS);
  }
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`was not ready within ${READY_TIMEOUT_MS / 1000}s at ${address}${reason}`);
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') child.kill();
  else child.kill('SIGTERM');
  if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
    child.kill('SIGKILL');
    await exited;
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function assertPortFree(ip: string, port: number, envVar: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: ip, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
  if (!free) {
    throw new Error(
      `Port ${port} on ${ip} is already in use, so the embedded Temporal dev server cannot start. ` +
        `Set ${envVar} to a free port, or set TEMPORAL_ADDRESS to use the server that is already running.`,
    );
  }
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function splitAddress(address: string): [string, number] {
  const separator = address.lastIndexOf(':');
  return [address.slice(0, separator).replace(/^\[|\]$/g, ''), Number(address.slice(separator + 1))];
}

function isLoopback(ip: string): boolean {
  return ip === 'localhost' || ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

function parseLine(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the CLI prints a few plain lines (banner, fatal errors).
  }
  return { line };
}

function logServerLine(entry: object): void {
  const fields = entry as Record<string, unknown>;
  // Pollers complain about closed connections while the server shuts down; that is expected.
  const level = fields.duringShutdown ? 'debug' : typeof fields.level === 'string' ? fields.level : 'info';
  const message = typeof fields.msg === 'string' ? fields.msg : typeof fields.line === 'string' ? fields.line : '';
  serverLogger.log(level, message, fields);
}
