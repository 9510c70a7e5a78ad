import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { powershellDir } from '../../activities/bridge/paths';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { type StepContract } from '../../activities/steps/contract';
import { gpoScanPassportStep } from '../../activities/steps/gpo';
import { forestInventoryStep } from '../../activities/steps/host';
import { kerberosReplicationStep } from '../../activities/steps/kerberos';
import { bridgeFailure } from '../support/bridge-failure';
import { editedStep } from '../support/edited-script';
import { labEstateFile } from './lab-estate';
import { labPool } from '../transport/pool-fixture';

/**
 * The ActiveDirectory and GroupPolicy stand-ins are as strict as the real modules: a real script copied with one
 * edit that uses a parameter the command does not have, or reads a property its objects do not have, fails
 * naming the parameter or property, at the line of the script that calls the command (PowerShell's own error
 * ids name the caller for a binding failure, and no command for a property read).
 */

const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtrust-strict-'));

const edited = <C extends StepContract>(id: string, step: C, from: string, to: string): C => editedStep(scratch, id, step, from, to);

const unknownGpoParameter = edited('test.gpo-unknown-parameter', gpoScanPassportStep, 'Get-GPO -All -Domain $Domain -Server $server', 'Get-GPO -All -Domian $Domain -Server $server');
const missingGpoProperty = edited(
  'test.gpo-missing-property',
  gpoScanPassportStep,
  '$allGpos = @(Get-GPO -All -Domain $Domain -Server $server)',
  "$allGpos = @(Get-GPO -All -Domain $Domain -Server $server | Where-Object -FilterScript { $_.Name -ne '' })",
);
const unknownAdParameter = edited(
  'test.ad-unknown-parameter',
  kerberosReplicationStep,
  "Get-ADObject -Server $Server -SearchBase ('CN=Users,' + $domainDn)",
  "Get-ADObject -Server $Server -SearchRoot ('CN=Users,' + $domainDn)",
);
const missingAdProperty = edited(
  'test.ad-missing-property',
  forestInventoryStep,
  '$adForest = Get-ADForest -Identity $Forest @directory',
  "$adForest = Get-ADForest -Identity $Forest @directory | Where-Object -FilterScript { $_.ForestName -ne '' }",
);

/** The line of the edited script the error's stack trace points at. */
function failingLine(step: StepContract, scriptStackTrace: string | null | undefined): string {
  const file = path.join(powershellDir(), step.script);
  const match = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line (\\d+)`).exec(scriptStackTrace ?? '');
  if (!match) throw new Error(`the stack trace does not point into ${file}: ${scriptStackTrace}`);
  return readFileSync(file, 'utf8').split('\n')[Number(match[1]) - 1];
}

describe('the AD and GPO stand-ins refuse what the real modules refuse', () => {
  let pool: PowerShellPool;
  beforeAll(async () => {
    const lab = labEstateFile('realistic');
    pool = labPool(1, lab.env, [unknownGpoParameter, missingGpoProperty, unknownAdParameter, missingAdProperty]);
    await pool.warm();
  }, 90_000);
  afterAll(() => pool?.close());

  test('Get-GPO with a parameter it does not have fails at binding, naming both', async () => {
    const error = await bridgeFailure(runStep(pool, unknownGpoParameter, { domain: 'fabrikam.com' }));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound,/);
    expect(error.message).toContain("A parameter cannot be found that matches parameter name 'Domian'.");
    expect(failingLine(unknownGpoParameter, error.errors[0].scriptStackTrace)).toContain('Get-GPO -All -Domian');
  });

  test('a Gpo has DisplayName, not Name: reading Name fails under strict mode on the Get-GPO line', async () => {
    const error = await bridgeFailure(runStep(pool, missingGpoProperty, { domain: 'fabrikam.com' }));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^PropertyNotFoundStrict\b/);
    expect(error.message).toContain("The property 'Name' cannot be found on this object.");
    expect(failingLine(missingGpoProperty, error.errors[0].scriptStackTrace)).toContain('Get-GPO -All');
  });

  test('Get-ADObject has -SearchBase, not -SearchRoot', async () => {
    const error = await bridgeFailure(runStep(pool, unknownAdParameter, { domain: 'fabrikam.com', sourceServer: 'fab-dc01.fabrikam.com', servers: ['fab-dc02.fabrikam.com'] }));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound,/);
    expect(error.message).toContain("A parameter cannot be found that matches parameter name 'SearchRoot'.");
    expect(failingLine(unknownAdParameter, error.errors[0].scriptStackTrace)).toContain('Get-ADObject -Server $Server -SearchRoot');
  });

  test('an ADForest has Name, not ForestName: reading ForestName fails on the Get-ADForest line', async () => {
    const error = await bridgeFailure(runStep(pool, missingAdProperty, { forest: 'fabrikam.com' }));
    expect(error.errors[0].fullyQualifiedErrorId).toMatch(/^PropertyNotFoundStrict\b/);
    expect(error.message).toContain("The property 'ForestName' cannot be found on this object.");
    expect(failingLine(missingAdProperty, error.errors[0].scriptStackTrace)).toContain('Get-ADForest -Identity');
  });
});
