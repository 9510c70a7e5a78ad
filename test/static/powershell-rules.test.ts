import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildCatalog, Catalog, readReference, resolveParameter } from './powershell-catalog';
import { applyAllowlist, checkScript, Finding, parseAllowlist, RuleContext, RuleName } from './powershell-rules';
import { FIXTURE_DIR, ScriptFacts, scriptAst } from './script-ast';

const repoRoot = path.resolve(__dirname, '..', '..');
const reference = readReference(repoRoot);
const emptySupplement = { cmdlets: {} };

function catalogWith(supplement: unknown): Catalog {
  return buildCatalog(reference, supplement).catalog;
}

const context: RuleContext = {
  catalog: catalogWith(emptySupplement),
  hostFunctions: new Set(['invoke-fixturehosthelper']),
};

let facts: Map<string, ScriptFacts>;

beforeAll(() => {
  const fixtures = scriptAst(repoRoot).files.filter((file) => file.file.startsWith(`${FIXTURE_DIR}/`));
  facts = new Map(fixtures.map((file) => [path.basename(file.file, '.ps1'), file]));
});

function check(fixture: string, ruleContext: RuleContext = context): Finding[] {
  const script = facts.get(fixture);
  if (script === undefined) throw new Error(`no fixture ${fixture}.ps1`);
  return checkScript(script, ruleContext);
}

describe('PowerShell static rules on fixtures', () => {
  it('accepts the good script', () => {
    expect(check('good')).toEqual([]);
  });

  const violations: [fixture: string, rule: RuleName, message: string][] = [
    ['bad-ternary', 'ps51-compat', "ternary operator '? :'"],
    ['bad-null-coalescing', 'ps51-compat', "null-coalescing operator '??'"],
    ['bad-null-conditional', 'ps51-compat', "null-conditional member access '?.'"],
    ['bad-pipeline-chain', 'ps51-compat', "pipeline chain operator '&&'"],
    ['bad-clean-block', 'ps51-compat', "'clean {}' block"],
    ['bad-leading-pipe', 'ps51-compat', "a line starting with '|'"],
    ['bad-number-suffix', 'ps51-compat', 'number literal 10uy'],
    ['bad-unicode-escape', 'ps51-compat', '`u{} escape'],
    ['bad-automatic-variable', 'ps51-compat', 'automatic variable $IsWindows'],
    ['bad-foreach-parallel', 'ps51-compat', '-Parallel of ForEach-Object does not exist in Windows PowerShell 5.1'],
    ['bad-convertfrom-json-ashashtable', 'ps51-compat', '-AsHashtable of ConvertFrom-Json does not exist in Windows PowerShell 5.1'],
    ['bad-write-host', 'banned', 'Write-Host is banned'],
    ['bad-iex', 'banned', 'iex (Invoke-Expression) is banned'],
    ['bad-exit', 'banned', 'exit is banned'],
    ['bad-console-write', 'banned', '[Console]::WriteLine'],
    ['bad-scriptblock-create', 'banned', '[ScriptBlock]::Create'],
    ['bad-host-ui', 'banned', '$Host.UI'],
    ['bad-missing-strict-mode', 'script-scope', 'missing `Set-StrictMode -Version ...`'],
    ['bad-missing-error-action-preference', 'script-scope', "missing `$ErrorActionPreference = 'Stop'`"],
    ['bad-abbreviated-parameter', 'abbreviated-parameter', '-Site abbreviates -SiteName of Get-ADDomainController'],
    ['bad-cmdlet-alias', 'cmdlet-alias', '% is an alias: write ForEach-Object'],
    ['bad-unknown-cmdlet', 'unknown-cmdlet', 'Get-FixtureUndocumented is in none of powershell/cmdlets.reference.json'],
    ['bad-unknown-parameter', 'unknown-parameter', 'Get-ADUser has no parameter -Bogus'],
    ['bad-splatted-parameter', 'unknown-parameter', 'Get-ADUser has no parameter -Bogus (hashtable key splatted as @query'],
    ['bad-whatif-unsupported', 'should-process', '-WhatIf on Get-ADUser'],
    ['bad-convertto-json-depth', 'convertto-json-depth', 'ConvertTo-Json without -Depth'],
    ['bad-parse-error', 'parse', "Missing closing ')' after expression in 'if' statement."],
    ['bad-non-ascii-without-bom', 'ps51-compat', 'non-ASCII text in a file without a UTF-8 BOM'],
  ];

  it.each(violations)('%s trips only the %s rule', (fixture, rule, message) => {
    const findings = check(fixture);
    expect(new Set(findings.map((finding) => finding.rule))).toEqual(new Set([rule]));
    expect(findings.map((finding) => finding.message)).toContainEqual(expect.stringContaining(message));
  });

  it('every bad-*.ps1 fixture is listed above', () => {
    const fixtures = readdirSync(path.join(repoRoot, FIXTURE_DIR)).filter((name) => /^bad-.*\.ps1$/.test(name));
    expect(fixtures.map((name) => path.basename(name, '.ps1')).sort()).toEqual(violations.map(([fixture]) => fixture).sort());
  });

  it("names the file, line, column and PowerShell's message of a parse error", () => {
    expect(check('bad-parse-error')).toEqual([
      expect.objectContaining({ file: `${FIXTURE_DIR}/bad-parse-error.ps1`, line: 6, message: expect.stringMatching(/^parse error at 6:22 near "\{": Unexpected token/) }),
      expect.objectContaining({ file: `${FIXTURE_DIR}/bad-parse-error.ps1`, line: 6, message: expect.stringContaining('[MissingEndParenthesisAfterStatement]') }),
    ]);
  });

  it('finds PowerShell 7 syntax inside the $(...) of a string too', () => {
    expect(check('bad-ternary').map((finding) => finding.line)).toEqual([6, 7]);
  });

  it('accepts a bare-word comma list, which PowerShell parses as an array of strings', () => {
    expect(check('bare-word-list')).toEqual([]);
  });
});

describe('cmdlet supplement', () => {
  it('makes a documented cmdlet known, with its parameters and ShouldProcess support', () => {
    const supplement = {
      cmdlets: {
        'Get-FixtureSupplemented': { documentation: 'https://example.org/get-fixturesupplemented', parameters: ['Name', 'Full'], supportsShouldProcess: true },
      },
    };
    expect(buildCatalog(reference, supplement).findings).toEqual([]);
    expect(check('uses-supplement', { ...context, catalog: catalogWith(supplement) })).toEqual([]);
    expect(check('uses-supplement').map((finding) => finding.rule)).toEqual(['unknown-cmdlet']);
  });

  it('rejects an entry without a documentation URL and ignores it', () => {
    const supplement = { cmdlets: { 'Get-FixtureSupplemented': { parameters: ['Name', 'Full'] } } };
    const { catalog, findings } = buildCatalog(reference, supplement);
    expect(findings).toEqual([expect.objectContaining({ rule: 'supplement', message: expect.stringContaining('"documentation" URL') })]);
    expect(catalog.cmdlets.has('get-fixturesupplemented')).toBe(false);
  });

  it('rejects an entry for a cmdlet the reference catalog already has', () => {
    const supplement = { cmdlets: { 'get-aduser': { documentation: 'https://example.org', parameters: ['Identity'] } } };
    expect(buildCatalog(reference, supplement).findings).toEqual([
      expect.objectContaining({ rule: 'supplement', message: expect.stringContaining('already in the reference catalog') }),
    ]);
  });

  it('the project supplement is valid', () => {
    const supplement: unknown = JSON.parse(readFileSync(path.join(repoRoot, 'powershell/cmdlets.local.json'), 'utf8'));
    expect(buildCatalog(reference, supplement).findings).toEqual([]);
  });
});

describe('lab command catalog', () => {
  const labFile = (commands: unknown) => [{ file: 'lab/windows/catalog/Fixture.json', json: { module: 'Fixture', commands } }];
  const fixtureCommand = {
    'Get-FixtureSupplemented': {
      source: 'https://example.org/get-fixturesupplemented',
      supportsShouldProcess: true,
      parameters: { Name: { type: 'string', aliases: ['Id'] }, Full: { type: 'switch' } },
    },
  };

  it('makes a command that neither the reference nor the supplement has known, with its parameter names', () => {
    const { catalog } = buildCatalog(reference, emptySupplement, '', labFile(fixtureCommand));
    expect(check('uses-supplement', { ...context, catalog })).toEqual([]);
    expect(catalog.cmdlets.get('get-fixturesupplemented')).toEqual(expect.objectContaining({ parameters: ['Name', 'Full'], aliases: { Name: ['Id'] } }));
  });

  it('never replaces what the reference or the supplement says', () => {
    const supplement = { cmdlets: { 'Get-FixtureSupplemented': { documentation: 'https://example.org/s', parameters: ['Name'] } } };
    const lab = labFile({ ...fixtureCommand, 'Get-ADUser': { source: 'https://example.org/u', parameters: { Bogus: {} } } });
    const { catalog } = buildCatalog(reference, supplement, '', lab);
    expect(catalog.cmdlets.get('get-fixturesupplemented')?.parameters).toEqual(['Name']);
    expect(check('bad-unknown-parameter', { ...context, catalog }).map((finding) => finding.rule)).toEqual(['unknown-parameter']);
  });

  it('ignores a file without the documented shape', () => {
    const { catalog } = buildCatalog(reference, emptySupplement, '', [{ file: 'lab/windows/catalog/Draft.json', json: { commands: { 'Get-FixtureSupplemented': {} } } }]);
    expect(catalog.cmdlets.has('get-fixturesupplemented')).toBe(false);
  });
});

describe('parameter resolution', () => {
  const catalog = context.catalog;
  const cmdlet = (name: string) => {
    const entry = catalog.cmdlets.get(name.toLowerCase());
    if (entry === undefined) throw new Error(`${name} missing from the catalog`);
    return entry;
  };

  it.each([
    ['Get-ADDomainController', 'sitename', { kind: 'exact', canonical: 'SiteName' }],
    ['Get-ADDomainController', 'Site', { kind: 'abbreviation', canonical: 'SiteName' }],
    ['Remove-GPO', 'DisplayName', { kind: 'alias', canonical: 'Name' }],
    ['Get-ADUser', 'ea', { kind: 'alias', canonical: 'ErrorAction' }],
    ['Get-ADUser', 'WhatIf', { kind: 'exact', canonical: 'WhatIf' }],
    ['Get-ADUser', 'Wh', { kind: 'unknown' }],
    ['Get-MgGroup', 'Count', { kind: 'abbreviation', canonical: 'CountVariable' }],
  ])('%s -%s', (name, used, expected) => {
    expect(resolveParameter(catalog, cmdlet(name), used)).toEqual(expected);
  });

  it('reports an ambiguous prefix with every candidate', () => {
    expect(resolveParameter(catalog, cmdlet('Select-Object'), 'Ex')).toEqual({ kind: 'ambiguous', candidates: ['ExcludeProperty', 'ExpandProperty'] });
  });
});

describe('allowlist', () => {
  const finding: Finding = { file: 'powershell/host/X.ps1', line: 7, rule: 'banned', message: '[Console] output' };

  it('drops a finding listed with its file, line and rule', () => {
    const allowlist = parseAllowlist({ entries: [{ ...finding, message: undefined, reason: 'writes the framed result' }] });
    expect(applyAllowlist([finding], allowlist)).toEqual([]);
  });

  it('keeps findings on other lines or rules', () => {
    const allowlist = parseAllowlist({ entries: [{ file: finding.file, line: 8, rule: 'banned', reason: 'r' }] });
    expect(applyAllowlist([finding], allowlist)).toContainEqual(finding);
  });

  it('reports an entry that matches nothing as stale', () => {
    const allowlist = parseAllowlist({ entries: [{ file: finding.file, line: 8, rule: 'banned', reason: 'r' }] });
    expect(applyAllowlist([], allowlist)).toEqual([expect.objectContaining({ rule: 'allowlist', message: expect.stringContaining('stale entry') })]);
  });

  it('requires a reason', () => {
    expect(() => parseAllowlist({ entries: [{ file: finding.file, line: 7, rule: 'banned', reason: ' ' }] })).toThrow();
    expect(() => parseAllowlist({ entries: [{ file: finding.file, line: 7, rule: 'banned' }] })).toThrow();
  });
});
