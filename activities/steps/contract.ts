import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { powershellDir } from '../bridge/paths';
import type { PowerShellEdition } from '../bridge/executable';
import type { HostModule, HostScript } from '../bridge/protocol';

/** The PowerShell a step needs: Windows PowerShell 5.1 (`desktop`), PowerShell 7 (`core`), or either (`any`). */
export type StepEdition = PowerShellEdition | 'any';

/**
 * A step's contract: the allow-listed script id, the reviewed .ps1 that implements it, and zod schemas for
 * what goes in and what must come back. Input keys are camelCase here and PascalCase in the script's param().
 */
export interface StepContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  id: string;
  /** Path under powershell/. */
  script: string;
  description: string;
  input: I;
  output: O;
  /** Input keys holding { userName, password }: rebuilt as PSCredential inside PowerShell. */
  credentialFields?: readonly string[];
  timeoutMs: number;
  /** The PowerShell edition the script needs; default 'any' (the pool's main executable). */
  edition?: StepEdition;
  /**
   * Modules the host imports once per process when it starts, so their import cost stays out of this step's
   * timeout (the Graph SDK's sub-modules take minutes on some 5.1 hosts: msgraph-sdk-powershell#688, #2479).
   */
  warmUpModules?: readonly string[];
}

export function defineStep<I extends z.ZodType, O extends z.ZodType>(contract: StepContract<I, O>): StepContract<I, O> {
  return { ...contract, edition: contract.edition ?? 'any' };
}

/** Maps validated input to the script's parameters: PascalCase names, credentials wrapped for the dispatcher. */
export function toPowerShellArguments(contract: StepContract, input: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const name = key.charAt(0).toUpperCase() + key.slice(1);
    args[name] = contract.credentialFields?.includes(key) ? { __pscredential: value } : value;
  }
  return args;
}

/**
 * The helper modules (paths under powershell/) the scripts share, in the order the dispatcher loads them: a module
 * may use the functions of those before it. Each script's .NOTES names the ones it uses.
 */
export const HOST_MODULES: readonly string[] = ['common/Cloudtrust.Common.psm1', 'common/Cloudtrust.GroupPolicy.psm1', 'common/Cloudtrust.Graph.psm1'];

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function hostScripts(contracts: readonly StepContract[]): HostScript[] {
  return contracts.map((contract) => {
    const file = path.join(powershellDir(), contract.script);
    return { id: contract.id, path: file, sha256: sha256(file) };
  });
}

export function hostModules(modules: readonly string[] = HOST_MODULES): HostModule[] {
  return modules.map((module) => {
    const file = path.join(powershellDir(), module);
    return { name: path.basename(file, '.psm1'), path: file, sha256: sha256(file) };
  });
}

/** Every module the given steps want imported at warm-up, each once, in first-seen order. */
export function warmUpImports(contracts: readonly StepContract[]): string[] {
  return [...new Set(contracts.flatMap((contract) => contract.warmUpModules ?? []))];
}
