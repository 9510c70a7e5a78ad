/**
 * Static rules for the reviewed PowerShell scripts. They work on the facts Export-ScriptAst.ps1 reads with
 * PowerShell's own parser (script-ast.ts), against the cmdlet catalog of powershell-catalog.ts.
 */
import { z } from 'zod';
import { Catalog, CmdletEntry, LAB_CATALOG_DIR, REFERENCE_FILE, resolveParameter, SUPPLEMENT_FILE } from './powershell-catalog';
import { Assignment, AstReport, CommandUse, MemberAccess, ParameterUse, ScriptFacts, SyntaxFact } from './script-ast';

export type RuleName =
  | 'parse'
  | 'banned'
  | 'script-scope'
  | 'ps51-compat'
  | 'cmdlet-alias'
  | 'unknown-cmdlet'
  | 'unknown-parameter'
  | 'abbreviated-parameter'
  | 'should-process'
  | 'convertto-json-depth'
  | 'supplement'
  | 'allowlist';

export interface Finding {
  file: string;
  line: number;
  rule: RuleName;
  message: string;
}

export const ALLOWLIST_FILE = 'test/static/powershell-allowlist.json';

// commonParametersNotes in cmdlets.reference.json: ProgressAction was added in PowerShell 7.4.
const COMMON_PARAMETERS_MISSING_IN_51 = ['ProgressAction'];

// ---------------------------------------------------------------- tables

/** Default aliases of Windows PowerShell 5.1 that resolve to cmdlets (about_Aliases / Get-Alias). */
export const CMDLET_ALIASES: Readonly<Record<string, string>> = {
  '%': 'ForEach-Object', '?': 'Where-Object', ac: 'Add-Content', asnp: 'Add-PSSnapin', cat: 'Get-Content',
  cd: 'Set-Location', cfs: 'ConvertFrom-String', chdir: 'Set-Location', clc: 'Clear-Content', clear: 'Clear-Host',
  clhy: 'Clear-History', cli: 'Clear-Item', clp: 'Clear-ItemProperty', cls: 'Clear-Host', clv: 'Clear-Variable',
  cnsn: 'Connect-PSSession', compare: 'Compare-Object', copy: 'Copy-Item', cp: 'Copy-Item', cpi: 'Copy-Item',
  cpp: 'Copy-ItemProperty', curl: 'Invoke-WebRequest', cvpa: 'Convert-Path', dbp: 'Disable-PSBreakpoint',
  del: 'Remove-Item', diff: 'Compare-Object', dir: 'Get-ChildItem', dnsn: 'Disconnect-PSSession',
  ebp: 'Enable-PSBreakpoint', echo: 'Write-Output', epal: 'Export-Alias', epcsv: 'Export-Csv',
  epsn: 'Export-PSSession', erase: 'Remove-Item', etsn: 'Enter-PSSession', exsn: 'Exit-PSSession',
  fc: 'Format-Custom', fhx: 'Format-Hex', fl: 'Format-List', foreach: 'ForEach-Object', ft: 'Format-Table',
  fw: 'Format-Wide', gal: 'Get-Alias', gbp: 'Get-PSBreakpoint', gc: 'Get-Content', gcb: 'Get-Clipboard',
  gci: 'Get-ChildItem', gcm: 'Get-Command', gcs: 'Get-PSCallStack', gdr: 'Get-PSDrive', ghy: 'Get-History',
  gi: 'Get-Item', gin: 'Get-ComputerInfo', gjb: 'Get-Job', gl: 'Get-Location', gm: 'Get-Member',
  gmo: 'Get-Module', gp: 'Get-ItemProperty', gpv: 'Get-ItemPropertyValue', gps: 'Get-Process',
  group: 'Group-Object', gsn: 'Get-PSSession', gsnp: 'Get-PSSnapin', gsv: 'Get-Service', gtz: 'Get-TimeZone',
  gu: 'Get-Unique', gv: 'Get-Variable', gwmi: 'Get-WmiObject', h: 'Get-History', history: 'Get-History',
  icm: 'Invoke-Command', iex: 'Invoke-Expression', ihy: 'Invoke-History', ii: 'Invoke-Item', ipal: 'Import-Alias',
  ipcsv: 'Import-Csv', ipmo: 'Import-Module', ipsn: 'Import-PSSession', irm: 'Invoke-RestMethod',
  iwmi: 'Invoke-WmiMethod', iwr: 'Invoke-WebRequest', kill: 'Stop-Process', lp: 'Out-Printer',
  ls: 'Get-ChildItem', measure: 'Measure-Object', mi: 'Move-Item', mount: 'New-PSDrive', move: 'Move-Item',
  mp: 'Move-ItemProperty', mv: 'Move-Item', nal: 'New-Alias', ndr: 'New-PSDrive', ni: 'New-Item',
  nmo: 'New-Module', npssc: 'New-PSSessionConfigurationFile', nsn: 'New-PSSession', nv: 'New-Variable',
  ogv: 'Out-GridView', oh: 'Out-Host', popd: 'Pop-Location', ps: 'Get-Process', pushd: 'Push-Location',
  pwd: 'Get-Location', r: 'Invoke-History', rbp: 'Remove-PSBreakpoint', rcjb: 'Receive-Job',
  rcsn: 'Receive-PSSession', rd: 'Remove-Item', rdr: 'Remove-PSDrive', ren: 'Rename-Item', ri: 'Remove-Item',
  rjb: 'Remove-Job', rm: 'Remove-Item', rmdir: 'Remove-Item', rmo: 'Remove-Module', rni: 'Rename-Item',
  rnp: 'Rename-ItemProperty', rp: 'Remove-ItemProperty', rsn: 'Remove-PSSession', rsnp: 'Remove-PSSnapin',
  rujb: 'Resume-Job', rv: 'Remove-Variable', rvpa: 'Resolve-Path', rwmi: 'Remove-WmiObject', sajb: 'Start-Job',
  sal: 'Set-Alias', saps: 'Start-Process', sasv: 'Start-Service', sbp: 'Set-PSBreakpoint', sc: 'Set-Content',
  scb: 'Set-Clipboard', select: 'Select-Object', set: 'Set-Variable', shcm: 'Show-Command', si: 'Set-Item',
  sl: 'Set-Location', sleep: 'Start-Sleep', sls: 'Select-String', sort: 'Sort-Object', sp: 'Set-ItemProperty',
  spjb: 'Stop-Job', spps: 'Stop-Process', spsv: 'Stop-Service', start: 'Start-Process', stz: 'Set-TimeZone',
  sujb: 'Suspend-Job', sv: 'Set-Variable', swmi: 'Set-WmiInstance', tee: 'Tee-Object', trcm: 'Trace-Command',
  type: 'Get-Content', wget: 'Invoke-WebRequest', where: 'Where-Object', wjb: 'Wait-Job', write: 'Write-Output',
};

const BANNED_COMMANDS: Readonly<Record<string, string>> = {
  'invoke-expression': 'runs arbitrary strings as code',
  'write-host': 'writes to the host instead of the output stream and corrupts the framed result',
  'read-host': 'prompts interactively; the bridge has no console user',
  'get-credential': 'prompts interactively; credentials arrive from the bridge',
  pause: 'waits for a key press; the bridge has no console user',
};

interface BannedMember {
  matches: (access: MemberAccess) => boolean;
  reason: string;
}

const CONSOLE_WRITERS = ['out', 'error', 'write', 'writeline', 'openstandardoutput', 'openstandarderror'];

function typeNameOf(access: MemberAccess): string {
  return access.target.replace(/^\[|\]$/g, '').toLowerCase().replace(/^system\./, '');
}

const BANNED_MEMBERS: readonly BannedMember[] = [
  {
    matches: (a) => a.isStatic && a.targetIsType && ['scriptblock', 'management.automation.scriptblock'].includes(typeNameOf(a)) && a.member.toLowerCase() === 'create',
    reason: 'compiles arbitrary strings as code',
  },
  {
    matches: (a) => a.isStatic && a.targetIsType && typeNameOf(a) === 'console' && CONSOLE_WRITERS.includes(a.member.toLowerCase()),
    reason: 'bypasses the output stream and corrupts the framed result',
  },
  {
    matches: (a) => a.isStatic && a.targetIsType && typeNameOf(a) === 'environment' && a.member.toLowerCase() === 'exit',
    reason: 'kills the host process',
  },
  {
    matches: (a) => !a.isStatic && a.target.toLowerCase() === '$host' && a.member.toLowerCase() === 'ui',
    reason: 'talks to the interactive host; the bridge has no console user',
  },
];

/** What each PowerShell 7 token of Export-ScriptAst.ps1 is, for a message. */
const PS7_SYNTAX: Readonly<Record<string, (fact: SyntaxFact) => string>> = {
  QuestionMark: () => "ternary operator '? :'",
  QuestionQuestion: () => "null-coalescing operator '??'",
  QuestionQuestionEquals: () => "null-coalescing assignment '??='",
  QuestionDot: () => "null-conditional member access '?.'",
  QuestionLBracket: () => "null-conditional index '?['",
  AndAnd: () => "pipeline chain operator '&&' (use if ($?) or try/catch)",
  OrOr: () => "pipeline chain operator '||' (use if (-not $?) or try/catch)",
  Clean: () => "'clean {}' block (PowerShell 7.3)",
  LeadingPipe: () => "a line starting with '|' (PowerShell 7 continues the pipeline of the line before; 5.1 sees an empty pipe element)",
  NumberSuffix: (fact) => `number literal ${fact.text} (type suffixes and 0b binary literals are PowerShell 6.2+)`,
  UnicodeEscape: (fact) => `\`u{} escape in ${fact.text} (PowerShell 6+; 5.1 keeps the text u{...})`,
};

/** Automatic variables of PowerShell 6+: undefined in 5.1, so fatal under strict mode. */
const PS7_AUTOMATIC_VARIABLES = ['IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle', 'EnabledExperimentalFeatures'];

// ---------------------------------------------------------------- rules

export interface RuleContext {
  catalog: Catalog;
  /** Lower-cased names of functions defined in powershell/host/*.ps1 and in the helper modules powershell/common/*.psm1. */
  hostFunctions: ReadonlySet<string>;
}

type FindingInFile = Omit<Finding, 'file'>;

function commandName(command: CommandUse): string | null {
  return command.name === null ? null : command.name.replace(/^[\w.]+\\/, '');
}

function resolveAlias(name: string): string {
  return CMDLET_ALIASES[name.toLowerCase()] ?? name;
}

function bannedRule(facts: ScriptFacts): FindingInFile[] {
  const findings: FindingInFile[] = [];
  for (const command of facts.commands) {
    const name = commandName(command);
    if (name === null) continue;
    const full = resolveAlias(name);
    const reason = BANNED_COMMANDS[full.toLowerCase()];
    if (reason === undefined) continue;
    const shown = full === name ? name : `${name} (${full})`;
    findings.push({ line: command.line, rule: 'banned', message: `${shown} is banned: it ${reason}` });
  }
  for (const flow of facts.flowControl) {
    if (flow.keyword === 'exit') {
      findings.push({ line: flow.line, rule: 'banned', message: 'exit is banned: it ends the host process; throw or return instead' });
    }
  }
  for (const access of facts.memberAccesses) {
    const banned = BANNED_MEMBERS.find((candidate) => candidate.matches(access));
    if (banned) {
      const used = `${access.target}${access.isStatic ? '::' : '.'}${access.member}`;
      findings.push({ line: access.line, rule: 'banned', message: `${used} is banned: it ${banned.reason}` });
    }
  }
  return findings;
}

const isVariable = (target: string, name: string): boolean =>
  target.toLowerCase() === `$${name}`.toLowerCase() || target.toLowerCase() === `$script:${name}`.toLowerCase();

function scriptScopeRule(facts: ScriptFacts): FindingInFile[] {
  const findings: FindingInFile[] = [];
  const strictMode = facts.commands.some(
    (command) =>
      command.inScriptScope &&
      commandName(command)?.toLowerCase() === 'set-strictmode' &&
      command.parameters.some((parameter) => ['version', 'v'].includes(parameter.name.toLowerCase())),
  );
  if (!strictMode) {
    findings.push({ line: 1, rule: 'script-scope', message: 'missing `Set-StrictMode -Version ...` at script scope' });
  }
  const preferences = [
    { variable: 'ErrorActionPreference', value: 'Stop' },
    { variable: 'ProgressPreference', value: 'SilentlyContinue' },
  ];
  for (const { variable, value } of preferences) {
    const assignments = facts.assignments.filter((a) => a.inScriptScope && isVariable(a.target, variable));
    const wanted = (a: Assignment): boolean => a.operator === '=' && a.stringValue?.toLowerCase() === value.toLowerCase();
    if (!assignments.some(wanted)) {
      findings.push({ line: 1, rule: 'script-scope', message: `missing \`$${variable} = '${value}'\` at script scope` });
    }
    for (const other of assignments.filter((a) => !wanted(a))) {
      findings.push({ line: other.line, rule: 'script-scope', message: `$${variable} must stay '${value}' at script scope, found ${other.operator} ${other.value}` });
    }
  }
  return findings;
}

function ps7SyntaxRule(facts: ScriptFacts): FindingInFile[] {
  const syntax = facts.syntax.map((fact) => {
    const describe = PS7_SYNTAX[fact.kind] ?? (() => `'${fact.text}' (${fact.kind})`);
    return { line: fact.line, rule: 'ps51-compat' as const, message: `${describe(fact)} at column ${fact.column} is not Windows PowerShell 5.1 syntax` };
  });
  const variables = facts.variables
    .map((variable) => ({ ...variable, name: variable.name.replace(/^(script|global|local|private):/i, '') }))
    .filter((variable) => PS7_AUTOMATIC_VARIABLES.some((name) => name.toLowerCase() === variable.name.toLowerCase()))
    .map((variable) => ({
      line: variable.line,
      rule: 'ps51-compat' as const,
      message: `automatic variable $${variable.name} at column ${variable.column} is PowerShell 6+ (undefined in Windows PowerShell 5.1, fatal under strict mode)`,
    }));
  return [...syntax, ...variables];
}

function encodingRule(facts: ScriptFacts): FindingInFile[] {
  if (facts.hasBom || facts.firstNonAsciiLine === null) return [];
  return [{ line: facts.firstNonAsciiLine, rule: 'ps51-compat', message: 'non-ASCII text in a file without a UTF-8 BOM: Windows PowerShell 5.1 reads it as ANSI; save with a BOM or use ASCII' }];
}

function parseRule(facts: ScriptFacts): FindingInFile[] {
  return facts.errors.map((error) => ({
    line: error.line,
    rule: 'parse' as const,
    message: `parse error at ${error.line}:${error.column}${error.text ? ` near "${error.text}"` : ''}: ${error.message} [${error.errorId}]`,
  }));
}

/** The keys a splat passes, or null when the variable is not traceable to a hashtable literal in this file. */
export function splattedKeys(facts: ScriptFacts, splat: { variable: string; line: number }): ParameterUse[] | null {
  const history = facts.hashtables.filter((fact) => fact.variable === splat.variable && fact.line <= splat.line);
  const start = history.map((fact) => fact.replaces).lastIndexOf(true);
  if (start === -1 || history[start].keys === null) return null;
  return history.slice(start).flatMap((fact) => (fact.keys ?? []).map((key) => ({ ...key, column: 1 })));
}

function catalogRules(facts: ScriptFacts, context: RuleContext): FindingInFile[] {
  const { catalog } = context;
  const findings: FindingInFile[] = [];
  const localFunctions = new Set(facts.functions.map((f) => f.name.toLowerCase()));
  for (const command of facts.commands) {
    const name = commandName(command);
    if (name === null) continue;
    const lower = name.toLowerCase();
    if (localFunctions.has(lower) || context.hostFunctions.has(lower)) continue;
    const full = resolveAlias(name);
    if (BANNED_COMMANDS[full.toLowerCase()] !== undefined) continue;
    if (full !== name) {
      findings.push({ line: command.line, rule: 'cmdlet-alias', message: `${name} is an alias: write ${full}` });
    }
    const cmdlet = catalog.cmdlets.get(full.toLowerCase());
    if (cmdlet === undefined) {
      if (/^[a-z]+-[a-z0-9_]+$/i.test(full)) {
        findings.push({ line: command.line, rule: 'unknown-cmdlet', message: `${full} is in none of ${REFERENCE_FILE}, ${SUPPLEMENT_FILE} and ${LAB_CATALOG_DIR}/*.json, and no function of that name is defined in this file, powershell/host/*.ps1 or powershell/common/*.psm1` });
      }
      continue;
    }
    if (!cmdlet.existsIn51) {
      findings.push({ line: command.line, rule: 'ps51-compat', message: `${cmdlet.name} does not exist in Windows PowerShell 5.1` });
    }
    for (const parameter of command.parameters) {
      findings.push(...parameterFindings(catalog, cmdlet, parameter, ''));
    }
    for (const splat of command.splats) {
      const via = ` (hashtable key splatted as @${splat.variable} at line ${splat.line})`;
      for (const key of splattedKeys(facts, splat) ?? []) findings.push(...parameterFindings(catalog, cmdlet, key, via));
    }
  }
  return findings;
}

function parameterFindings(catalog: Catalog, cmdlet: CmdletEntry, parameter: ParameterUse, via: string): FindingInFile[] {
  if (parameter.name === '' || parameter.name === '-') return [];
  const used = `-${parameter.name}${via}`;
  const at = { line: parameter.line };
  const resolution = resolveParameter(catalog, cmdlet, parameter.name);
  switch (resolution.kind) {
    case 'unknown':
      return [{ ...at, rule: 'unknown-parameter', message: `${cmdlet.name} has no parameter ${used} (${cmdlet.catalogFile}; documented: ${cmdlet.parameters.join(', ')}; see ${cmdlet.documentation})` }];
    case 'ambiguous':
      return [{ ...at, rule: 'unknown-parameter', message: `${used} is ambiguous on ${cmdlet.name}: it could be ${resolution.candidates.map((c) => `-${c}`).join(', ')}` }];
    case 'abbreviation':
      return [{ ...at, rule: 'abbreviated-parameter', message: `${used} abbreviates -${resolution.canonical} of ${cmdlet.name}: write -${resolution.canonical}` }];
    default:
      break;
  }
  const canonical = resolution.canonical;
  if (catalog.shouldProcessOnlyParameters.includes(canonical) && !cmdlet.supportsShouldProcess) {
    return [{ ...at, rule: 'should-process', message: `${used} on ${cmdlet.name}: the cmdlet does not declare SupportsShouldProcess, so -WhatIf/-Confirm are not accepted` }];
  }
  const isCommon = catalog.commonParameters.includes(canonical);
  const missingIn51 = isCommon
    ? COMMON_PARAMETERS_MISSING_IN_51.includes(canonical)
    : cmdlet.parametersIn51 !== null && !cmdlet.parametersIn51.includes(canonical);
  if (missingIn51) {
    return [{ ...at, rule: 'ps51-compat', message: `-${canonical} of ${cmdlet.name} does not exist in Windows PowerShell 5.1` }];
  }
  return [];
}

function convertToJsonDepthRule(facts: ScriptFacts, context: RuleContext): FindingInFile[] {
  const convertTo = context.catalog.cmdlets.get('convertto-json');
  return facts.commands
    .filter((command) => {
      const name = commandName(command);
      return name !== null && resolveAlias(name).toLowerCase() === 'convertto-json';
    })
    .filter((command) =>
      ![...command.parameters, ...command.splats.flatMap((splat) => splattedKeys(facts, splat) ?? [])].some((parameter) => {
        const resolution = convertTo ? resolveParameter(context.catalog, convertTo, parameter.name) : null;
        return resolution !== null && 'canonical' in resolution && resolution.canonical === 'Depth';
      }),
    )
    .map((command) => ({
      line: command.line,
      rule: 'convertto-json-depth' as const,
      message: `ConvertTo-Json without -Depth: its default depth of 2 silently flattens deeper objects to strings${command.hasSplat ? ' (no traceable splat passes Depth: pass -Depth explicitly)' : ''}`,
    }));
}

export function checkScript(facts: ScriptFacts, context: RuleContext): Finding[] {
  const findings = [
    ...parseRule(facts),
    ...ps7SyntaxRule(facts),
    ...encodingRule(facts),
    ...bannedRule(facts),
    ...scriptScopeRule(facts),
    ...catalogRules(facts, context),
    ...convertToJsonDepthRule(facts, context),
  ];
  return findings
    .map((finding) => ({ file: facts.file, ...finding }))
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

const HOST_SCRIPT = /^powershell\/host\/[^/]+\.ps1$/i;
const HELPER_MODULE = /^powershell\/common\/[^/]+\.psm1$/i;

/** The functions every script may call: the dispatcher's and those of the helper modules it loads. */
export function hostFunctionNames(report: AstReport): Set<string> {
  return new Set(
    report.files
      .filter((facts) => HOST_SCRIPT.test(facts.file) || HELPER_MODULE.test(facts.file))
      .flatMap((facts) => facts.functions.map((f) => f.name.toLowerCase())),
  );
}

// ---------------------------------------------------------------- allowlist

const allowlistSchema = z.object({
  entries: z.array(
    z.object({
      file: z.string().min(1),
      line: z.number().int().positive(),
      rule: z.string().min(1),
      reason: z.string().trim().min(1),
    }),
  ),
});

export type AllowlistEntry = z.infer<typeof allowlistSchema>['entries'][number];

export function parseAllowlist(json: unknown): AllowlistEntry[] {
  return allowlistSchema.parse(json).entries;
}

/** Drops allowlisted findings; an entry that no longer matches anything is itself a finding. */
export function applyAllowlist(findings: readonly Finding[], allowlist: readonly AllowlistEntry[]): Finding[] {
  const matches = (entry: AllowlistEntry, finding: Finding): boolean =>
    entry.file === finding.file && entry.line === finding.line && entry.rule === finding.rule;
  const kept = findings.filter((finding) => !allowlist.some((entry) => matches(entry, finding)));
  const stale = allowlist
    .filter((entry) => !findings.some((finding) => matches(entry, finding)))
    .map((entry) => ({
      file: ALLOWLIST_FILE,
      line: 1,
      rule: 'allowlist' as const,
      message: `stale entry: no ${entry.rule} finding at ${entry.file}:${entry.line} (reason was: ${entry.reason})`,
    }));
  return [...kept, ...stale];
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line} [${finding.rule}] ${finding.message}`;
}
