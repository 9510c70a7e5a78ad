import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HOST_MODULES } from '../../activities/steps/contract';
import { loadCatalog } from './powershell-catalog';
import { ALLOWLIST_FILE, applyAllowlist, checkScript, formatFinding, hostFunctionNames, parseAllowlist } from './powershell-rules';
import { powershellFiles, SCRIPT_DIR, scriptAst } from './script-ast';

const repoRoot = path.resolve(__dirname, '..', '..');
const scripts = powershellFiles(repoRoot, SCRIPT_DIR);

describe('static checks of powershell/**/*.ps1 and the helper modules powershell/common/*.psm1', () => {
  it('finds the PowerShell scripts the project ships', () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  it('checks every helper module, and the dispatcher loads each of them', () => {
    const modules = scripts.filter((file) => file.endsWith('.psm1'));
    expect(modules.length).toBeGreaterThan(0);
    expect([...HOST_MODULES].map((module) => `powershell/${module}`).sort()).toEqual(modules);
  });

  it('every script passes the static rules', () => {
    if (scripts.length === 0) return; // the test above reports it
    const { catalog, findings: supplementFindings } = loadCatalog(repoRoot);
    const report = scriptAst(repoRoot);
    const checked = report.files.filter((facts) => scripts.includes(facts.file));
    const context = { catalog, hostFunctions: hostFunctionNames(report) };
    const allowlist = parseAllowlist(JSON.parse(readFileSync(path.join(repoRoot, ALLOWLIST_FILE), 'utf8')));
    const findings = [
      ...supplementFindings,
      ...applyAllowlist(checked.flatMap((facts) => checkScript(facts, context)), allowlist),
    ];
    expect({ checked: checked.map((facts) => facts.file), findings: findings.map(formatFinding) }).toEqual({ checked: scripts, findings: [] });
  });
});
