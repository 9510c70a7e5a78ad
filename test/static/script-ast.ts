/**
 * The facts the static rules work on, as Export-ScriptAst.ps1 reads them from PowerShell's own parser
 * ([System.Management.Automation.Language.Parser]::ParseFile) in one pwsh process for every checked file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ParseError {
  line: number;
  column: number;
  endLine: number;
  errorId: string;
  message: string;
  text: string;
}

export interface ParameterUse {
  name: string;
  line: number;
  column: number;
}

export interface CommandUse {
  /** Null when the command is invoked through an expression such as `& $scriptPath`. */
  name: string | null;
  nameExpression: string | null;
  invocationOperator: string | null;
  line: number;
  column: number;
  parameters: ParameterUse[];
  splats: { variable: string; line: number }[];
  hasSplat: boolean;
  inScriptScope: boolean;
}

export interface Assignment {
  target: string;
  operator: string;
  value: string;
  /** The literal value when the right-hand side is a plain string without interpolation. */
  stringValue: string | null;
  line: number;
  inScriptScope: boolean;
}

export interface MemberAccess {
  target: string;
  targetIsType: boolean;
  member: string;
  isStatic: boolean;
  isInvocation: boolean;
  line: number;
  column: number;
}

/**
 * A variable's life as a splatting source: `replaces` when it is (re)assigned, with `keys` null when the new
 * value is not a hashtable literal; otherwise one key added by `$t.Key =`, `$t['Key'] =` or `$t.Add('Key', ...)`.
 */
export interface HashtableFact {
  variable: string;
  line: number;
  replaces: boolean;
  keys: { name: string; line: number }[] | null;
}

/**
 * A token of syntax Windows PowerShell 5.1 lacks: a TokenKind name (QuestionMark, QuestionQuestion,
 * QuestionQuestionEquals, QuestionDot, QuestionLBracket, AndAnd, OrOr, Clean) or LeadingPipe, NumberSuffix,
 * UnicodeEscape.
 */
export interface SyntaxFact {
  kind: string;
  text: string;
  line: number;
  column: number;
}

export interface ScriptFacts {
  file: string;
  hasBom: boolean;
  firstNonAsciiLine: number | null;
  errors: ParseError[];
  commands: CommandUse[];
  functions: { name: string; line: number }[];
  assignments: Assignment[];
  memberAccesses: MemberAccess[];
  hashtables: HashtableFact[];
  flowControl: { keyword: string; line: number }[];
  variables: { name: string; line: number; column: number }[];
  syntax: SyntaxFact[];
}

export interface AstReport {
  parser: string;
  files: ScriptFacts[];
}

export const EXPORTER = 'test/static/Export-ScriptAst.ps1';
export const SCRIPT_DIR = 'powershell';
export const FIXTURE_DIR = 'test/static/fixtures';

/** Repo-relative paths, with forward slashes, of every .ps1 and .psm1 under a repo-relative directory, sorted. */
export function powershellFiles(repoRoot: string, directory: string): string[] {
  const walk = (relative: string): string[] =>
    readdirSync(path.join(repoRoot, relative), { withFileTypes: true }).flatMap((entry) => {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) return walk(child);
      return entry.isFile() && /\.psm?1$/i.test(entry.name) ? [child] : [];
    });
  return walk(directory).sort();
}

function pwshPath(): string {
  const pwsh = process.env.CLOUDTRUST_TEST_PWSH;
  if (!pwsh) throw new Error("CLOUDTRUST_TEST_PWSH is not set: run the static checks through jest, whose globalSetup provisions PowerShell 7");
  return pwsh;
}

function runExporter(repoRoot: string, pwsh: string, files: string[]): string {
  try {
    return execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', EXPORTER, ...files], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', POWERSHELL_TELEMETRY_OPTOUT: '1' },
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${pwsh} -File ${EXPORTER} failed${stderr ? `:\n${stderr}` : `: ${String(error)}`}`, { cause: error });
  }
}

/**
 * Facts for every script under powershell/ and every fixture, from one pwsh run: the test files (and later
 * runs) share the result through a file named by the hash of everything it depends on, PowerShell included.
 */
export function scriptAst(repoRoot: string): AstReport {
  const pwsh = pwshPath();
  const files = [...powershellFiles(repoRoot, SCRIPT_DIR), ...powershellFiles(repoRoot, FIXTURE_DIR)];
  const binary = statSync(realpathSync(pwsh));
  const hash = createHash('sha256').update(`${realpathSync(pwsh)}\0${binary.size}\0${binary.mtimeMs}`);
  for (const file of [EXPORTER, ...files]) hash.update(`\0${file}\0`).update(readFileSync(path.join(repoRoot, file)));
  const cacheDir = path.join(tmpdir(), 'cloudtrust-script-ast');
  const cacheFile = path.join(cacheDir, `${hash.digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as AstReport;
  } catch {
    // not exported yet for these contents
  }
  const output = runExporter(repoRoot, pwsh, files);
  const report = JSON.parse(output) as AstReport;
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cacheFile}.${process.pid}`;
  writeFileSync(partial, output);
  renameSync(partial, cacheFile);
  return report;
}
