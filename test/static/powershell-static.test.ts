import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ALLOWLIST_FILE,
  applyAllowlist,
  AstReport,
  checkScript,
  formatFinding,
  hostFunctionNames,
  loadCatalog,
  parseAllowlist,
} from './powershell-rules';

const repoRoot = path.resolve(__dirname, '..', '..');

function powershellScripts(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return powershellScripts(full);
    return entry.isFile() && entry.name.toLowerCase().endsWith('.ps1') ? [full] : [];
  });
}

const scripts = powershellScripts(path.join(repoRoot, 'powershell'))
  .map((file) => path.relative(repoRoot, file).split(path.sep).join('/'))
  .sort();

describe('static checks of powershell/**/*.ps1', () => {
  it('finds the PowerShell scripts the project ships', () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  it('every script passes the static rules', () => {
    if (scripts.length === 0) return; // the test above reports it
    const { catalog, findings: supplementFindings } = loadCatalog(repoRoot);
    const output = execFileSync(process.execPath, [path.join(__dirname, 'powershell-ast.mjs'), ...scripts], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const report = JSON.parse(output) as AstReport;
    const context = { catalog, hostFunctions: hostFunctionNames(report) };
    const allowlist = parseAllowlist(JSON.parse(readFileSync(path.join(repoRoot, ALLOWLIST_FILE), 'utf8')));
    const findings = [
      ...supplementFindings,
      ...applyAllowlist(report.files.flatMap((facts) => checkScript(facts, context)), allowlist),
    ];
    expect({ checked: scripts, findings: findings.map(formatFinding) }).toEqual({ checked: scripts, findings: [] });
  });
});
