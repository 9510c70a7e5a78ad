import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dispatcherPath, projectRoot } from '../../activities/bridge/paths';
import { BOOTSTRAP_LINE_PATTERN, CALL_LINE_PATTERN, encodeFrame } from '../../activities/bridge/protocol';
import { callTargets, takeFault, type FaultAction } from '../estate/faults';
import { EstateStore } from '../estate/store';
import { estatePath } from './estate-file';
import { LabError, type HandlerContext } from './handler';
import { handlerRegistry } from './registry';

const HELP = `cloudtrust lab host

Stands in for powershell.exe / pwsh so cloudtrust runs end to end against a simulated hybrid estate.
It speaks the line protocol node-powershell uses on stdin/stdout and answers cloudtrust dispatcher calls
(Invoke-CloudtrustStep <call id> <script id> <base64 JSON arguments>) from a registry of lab behaviours,
one per reviewed .ps1 script. It does NOT interpret PowerShell: any other input line is refused.

Environment:
  CLOUDTRUST_LAB_ESTATE   estate file (default: <data dir>/lab/estate.json, seeded from lab/estates/default.json)
  CLOUDTRUST_DATA_DIR     data directory (default: ./.cloudtrust)
`;

const DELIMITER_LINE = /^\[Console\]::(Out|Error)\.WriteLine\("([0-9A-Za-z]{1,64})"\)$/;

interface HostState {
  scripts: Map<string, string>;
}

const argv = process.argv.slice(2);
if (argv.some((a) => /^-{1,2}(help|h|\?)$/i.test(a))) {
  process.stdout.write(HELP);
  process.exit(0);
}

const registry = handlerRegistry(process.env);
let state: HostState | undefined;
let afterCall = '';
let insideCall = false;
let store: EstateStore | undefined;
const estateStore = () => (store ??= new EstateStore(estatePath(process.env, projectRoot())));

const context: HandlerContext = {
  estate: () => estateStore().read(),
  update: (change) => estateStore().update(change),
  now: () => new Date(),
  writeConsole: (text) => void process.stdout.write(text),
  writeError: (text) => void process.stderr.write(text),
  writeAfterCall: (text) => void (afterCall += text),
  exit: (code) => process.exit(code),
};

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function errorRecord(error: unknown) {
  if (error instanceof LabError) {
    return {
      message: error.message,
      fullyQualifiedErrorId: error.fullyQualifiedErrorId,
      category: error.category,
      targetObject: error.targetObject,
      scriptStackTrace: 'at <lab>',
      exceptionType: 'System.Management.Automation.RuntimeException',
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    fullyQualifiedErrorId: 'LabHostFault',
    category: 'NotSpecified',
    targetObject: null,
    scriptStackTrace: 'at <lab>',
    exceptionType: 'System.Exception',
  };
}

function answer(callId: string, envelope: object): void {
  process.stdout.write(`${encodeFrame(callId, envelope)}\n`);
}

function bootstrap(dispatcherBase64: string, callId: string, configBase64: string): void {
  const base = { changed: false, warnings: [] as string[] };
  try {
    const dispatcher = Buffer.from(dispatcherBase64, 'base64').toString('utf8');
    if (dispatcher !== readFileSync(dispatcherPath(), 'utf8')) throw new Error('the dispatcher sent is not the reviewed powershell/host/Cloudtrust.Host.ps1');
    const config = JSON.parse(Buffer.from(configBase64, 'base64').toString('utf8')) as { scripts: Array<{ id: string; path: string; sha256: string }> };
    const problems: string[] = [];
    const scripts = new Map<string, string>();
    for (const entry of config.scripts) {
      if (!existsSync(entry.path)) problems.push(`script ${entry.id}: file not found: ${entry.path}`);
      else if (sha256(entry.path) !== entry.sha256) problems.push(`script ${entry.id}: content differs from the reviewed version (sha256 mismatch): ${entry.path}`);
      else scripts.set(entry.id, entry.path);
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
    state = { scripts };
    answer(callId, { ...base, ok: true, result: { psVersion: 'lab', edition: 'Lab', scripts: scripts.size, pid: process.pid, argv }, errors: [] });
  } catch (error) {
    answer(callId, { ...base, ok: false, result: null, errors: [errorRecord(error)] });
  }
}

async function call(callId: string, scriptId: string, argumentsBase64: string): Promise<void> {
  const envelope = { ok: false, changed: false, result: null as unknown, warnings: [] as string[], errors: [] as object[] };
  try {
    if (!state) throw new Error('the cloudtrust host is not initialised');
    if (!state.scripts.has(scriptId)) throw new Error(`unknown script id: ${scriptId}`);
    const handler = registry.get(scriptId);
    if (!handler) throw new Error(`the lab has no behaviour for script id ${scriptId}`);
    const args = argumentsBase64 ? (JSON.parse(Buffer.from(argumentsBase64, 'base64').toString('utf8')) as Record<string, unknown>) : {};
    if (!scriptId.startsWith('fixture.')) await sufferFaults(scriptId, args);
    const outcome = await handler(args, context);
    Object.assign(envelope, { ok: true, changed: outcome.changed, result: outcome.result, warnings: outcome.warnings ?? [] });
  } catch (error) {
    envelope.errors = [errorRecord(error)];
  }
  answer(callId, envelope);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies the faults and latency the estate declares for this call (see lab/estate/faults.ts). */
async function sufferFaults(scriptId: string, args: Record<string, unknown>): Promise<void> {
  const estate = await context.estate();
  const declared = estate.faults.some((f) => f.scriptId === scriptId);
  const action: FaultAction = declared ? await context.update((e) => takeFault(e, scriptId, callTargets(args))) : { kind: 'none', latencyMs: estate.latencyMs };
  if (action.kind === 'hang') await new Promise(() => undefined);
  if (action.kind !== 'hang' && action.latencyMs > 0) await sleep(action.latencyMs);
  if (action.kind === 'fail') throw new LabError(action.message, action.category, action.errorId, null, action.retryAfterSeconds);
}

async function handleLine(line: string): Promise<void> {
  const delimiter = DELIMITER_LINE.exec(line);
  if (delimiter && delimiter[1] === 'Error') {
    process.stderr.write(`${delimiter[2]}\n`);
    return;
  }
  if (delimiter) {
    // A call's stdout is corked from its opening to its closing delimiter and leaves in one write, as a
    // fast shell's output often does; late output is appended after the closing delimiter.
    if (!insideCall) {
      process.stdout.cork();
      process.stdout.write(`${delimiter[2]}\n`);
    } else {
      process.stdout.write(`${delimiter[2]}\n${afterCall}`);
      afterCall = '';
      process.stdout.uncork();
    }
    insideCall = !insideCall;
    return;
  }
  const boot = BOOTSTRAP_LINE_PATTERN.exec(line);
  if (boot) return bootstrap(boot[1], boot[2], boot[3]);
  const invocation = CALL_LINE_PATTERN.exec(line);
  if (invocation) return call(invocation[1], invocation[2], invocation[3]);
  if (line.trim() === '') return;
  process.stderr.write('cloudtrust lab host: refused a line that is not a cloudtrust dispatcher call (this host does not interpret PowerShell)\n');
}

let queue = Promise.resolve();
const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  queue = queue.then(() => handleLine(line)).catch((error) => void process.stderr.write(`cloudtrust lab host: ${(error as Error).message}\n`));
});
input.on('close', () => void queue.then(() => process.exit(0)));
