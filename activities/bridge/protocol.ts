import { randomBytes } from 'node:crypto';

/**
 * The wire protocol between the Node bridge and a PowerShell process.
 * Everything sent is built here from a restricted alphabet: ids match fixed patterns and every value
 * travels base64-encoded, so no value can ever become PowerShell source; argument values are never command text
 * at all (buildCallLines).
 */

export const CALL_ID_PATTERN = /^[A-Za-z0-9]{8,64}$/;
export const SCRIPT_ID_PATTERN = /^[a-z0-9][a-z0-9.-]{0,63}$/;
export const MODULE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/=]*$/;
const FRAME_PATTERN = /<<cloudtrust:([A-Za-z0-9]{8,64}):([A-Za-z0-9+/=]*)>>/g;

export interface HostScript {
  id: string;
  path: string;
  sha256: string;
}

/** A helper module the dispatcher verifies and loads, from the text it hashed, before any script runs. */
export interface HostModule {
  name: string;
  path: string;
  sha256: string;
}

export function newCallId(): string {
  return randomBytes(12).toString('hex');
}

export function toBase64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

function requirePattern(name: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw new Error(`refusing to build a host line: ${name} ${JSON.stringify(value.slice(0, 80))} does not match ${pattern}`);
}

/** What the bootstrap line prints instead of starting when PowerShell does not run in FullLanguage mode. */
export const LANGUAGE_MODE_MARKER = /<<cloudtrust-language-mode:([A-Za-z]+)>>/;

/**
 * One line that dot-sources the dispatcher from base64 and initialises it with the script allow-list, the helper
 * modules and the modules to import at warm-up. Its first statement checks the language mode: under
 * WDAC/AppLocker script enforcement PowerShell runs in ConstrainedLanguage, where the .NET calls below are not
 * permitted, so it prints a plain marker instead (LANGUAGE_MODE_MARKER).
 */
export function buildBootstrapLine(dispatcherSource: string, callId: string, scripts: HostScript[], modules: HostModule[] = [], imports: string[] = []): string {
  requirePattern('call id', callId, CALL_ID_PATTERN);
  for (const script of scripts) requirePattern('script id', script.id, SCRIPT_ID_PATTERN);
  for (const module of modules) requirePattern('module name', module.name, MODULE_NAME_PATTERN);
  for (const name of imports) requirePattern('warm-up import', name, MODULE_NAME_PATTERN);
  const dispatcher = Buffer.from(dispatcherSource, 'utf8').toString('base64');
  const config = toBase64Json({ scripts, modules, imports });
  return (
    `if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') { '<<cloudtrust-language-mode:' + $ExecutionContext.SessionState.LanguageMode + '>>' } else { ` +
    `. ([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${dispatcher}')))); ` +
    `Initialize-CloudtrustHost -CallId '${callId}' -ConfigBase64 '${config}' }`
  );
}

/**
 * A call: the command line names the call and the allow-listed script only; the arguments (credentials included)
 * follow as a data line, `#<base64 JSON>`, which the already-running Invoke-CloudtrustStep reads from stdin. So
 * script block logging (event 4104) and transcripts, which record command text, never see them; and were the
 * line ever read as a command, it would be a comment.
 */
export function buildCallLines(callId: string, scriptId: string, argumentsBase64: string): string {
  requirePattern('call id', callId, CALL_ID_PATTERN);
  requirePattern('script id', scriptId, SCRIPT_ID_PATTERN);
  requirePattern('arguments', argumentsBase64, BASE64_PATTERN);
  return `Invoke-CloudtrustStep -CallId '${callId}' -ScriptId '${scriptId}'\n#${argumentsBase64}`;
}

export const BOOTSTRAP_LINE_PATTERN =
  /^if \(\$ExecutionContext\.SessionState\.LanguageMode -ne 'FullLanguage'\) \{ '<<cloudtrust-language-mode:' \+ \$ExecutionContext\.SessionState\.LanguageMode \+ '>>' \} else \{ \. \(\[scriptblock\]::Create\(\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('([A-Za-z0-9+/=]+)'\)\)\)\); Initialize-CloudtrustHost -CallId '([A-Za-z0-9]{8,64})' -ConfigBase64 '([A-Za-z0-9+/=]+)' \}$/;
export const CALL_LINE_PATTERN = /^Invoke-CloudtrustStep -CallId '([A-Za-z0-9]{8,64})' -ScriptId '([a-z0-9][a-z0-9.-]{0,63})'$/;
export const DATA_LINE_PATTERN = /^#([A-Za-z0-9+/=]*)$/;

export function encodeFrame(callId: string, envelope: unknown): string {
  return `<<cloudtrust:${callId}:${toBase64Json(envelope)}>>`;
}

/**
 * Finds the envelope for `callId` in console output. Anything around it (banners, stray writes,
 * frames of other calls) is ignored. Returns undefined when no frame for this call is present.
 */
export function extractEnvelope(consoleOutput: string, callId: string): unknown {
  for (const match of consoleOutput.matchAll(FRAME_PATTERN)) {
    if (match[1] !== callId) continue;
    const json = Buffer.from(match[2], 'base64').toString('utf8');
    try {
      return JSON.parse(json);
    } catch (error) {
      throw new Error(`the envelope of call ${callId} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  return undefined;
}
