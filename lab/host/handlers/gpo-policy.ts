import { z } from 'zod';
import type { LabDomain, LabGpo } from '../../estate/schema';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import { LabError, type StepHandler } from '../handler';
import { findGpo, formatValue, labParameter, newGpo, PIN_KEY, POLICY_KEY, passportValues, removeValue, sameKey, sameName, setDword, type PassportValue } from './gpo-estate';
import { settle } from './gpo-set-step';

const characterRule = z.number().int().min(0).max(2);

// Get-PinComplexityValue's param() block, in the order the script writes the values.
const pinComplexity = z
  .object({
    minimumPinLength: z.number().int().min(4).max(127).optional(),
    maximumPinLength: z.number().int().min(4).max(127).optional(),
    uppercaseLetters: characterRule.optional(),
    lowercaseLetters: characterRule.optional(),
    specialCharacters: characterRule.optional(),
    digits: characterRule.optional(),
    history: z.number().int().min(0).max(50).optional(),
    expiration: z.number().int().min(0).max(730).optional(),
  })
  .strict();

const PIN_VALUE_NAMES: Record<keyof z.infer<typeof pinComplexity>, string> = {
  minimumPinLength: 'MinimumPINLength',
  maximumPinLength: 'MaximumPINLength',
  uppercaseLetters: 'UppercaseLetters',
  lowercaseLetters: 'LowercaseLetters',
  specialCharacters: 'SpecialCharacters',
  digits: 'Digits',
  history: 'History',
  expiration: 'Expiration',
};

const parameters = z.object({
  Domain: labParameter.domain,
  GpoName: labParameter.gpoName,
  RequireSecurityDevice: z.boolean().default(false),
  PinComplexity: pinComplexity.optional(),
  PlanOnly: labParameter.planOnly,
});
type Parameters = z.infer<typeof parameters>;

interface Desired {
  key: string;
  valueName: string;
  value: number;
}

function desiredValues(p: Parameters): Desired[] {
  const desired: Desired[] = [
    { key: POLICY_KEY, valueName: 'Enabled', value: 1 },
    { key: POLICY_KEY, valueName: 'UseCloudTrustForOnPremAuth', value: 1 },
  ];
  if (p.RequireSecurityDevice) desired.push({ key: POLICY_KEY, valueName: 'RequireSecurityDevice', value: 1 });
  const pin = p.PinComplexity ?? {};
  for (const [field, valueName] of Object.entries(PIN_VALUE_NAMES) as Array<[keyof typeof PIN_VALUE_NAMES, string]>) {
    const value = pin[field];
    if (value !== undefined) desired.push({ key: PIN_KEY, valueName, value });
  }
  const min = pin.minimumPinLength;
  const max = pin.maximumPinLength;
  if (min !== undefined && max !== undefined && min > max) {
    throw new LabError(`MinimumPINLength (${min}) must not exceed MaximumPINLength (${max})`, 'InvalidArgument', 'PinLengthRange', 'PinComplexity');
  }
  return desired;
}

export function policyState(gpo: LabGpo | undefined) {
  return gpo ? { id: gpo.id, displayName: gpo.displayName, status: gpo.status, values: passportValues(gpo) } : null;
}

function evaluatePolicy(domain: LabDomain, p: Parameters, desired: Desired[], onApplied: (gpo: LabGpo) => void) {
  const gpo = findGpo(domain, p.GpoName);
  const current = gpo ? passportValues(gpo) : [];
  const changes: string[] = [];
  const warnings: string[] = [];
  const toSet: Desired[] = [];
  const toRemove: PassportValue[] = [];
  if (!gpo) changes.push(`create GPO '${p.GpoName}' in ${p.Domain}`);
  for (const want of desired) {
    const have = current.find((v) => sameKey(v.key, want.key) && sameName(v.valueName, want.valueName));
    if (!(have && have.type === 'DWord' && have.policyState === 'Set' && Number(have.value) === want.value)) {
      changes.push(`set ${want.key}\\${want.valueName} = ${want.value} (DWord), was ${formatValue(have)}`);
      toSet.push(want);
    }
  }
  for (const have of current) {
    const managed = sameKey(have.key, POLICY_KEY) || sameKey(have.key, PIN_KEY);
    const wanted = desired.some((d) => sameKey(d.key, have.key) && sameName(d.valueName, have.valueName));
    if (sameName(have.valueName, 'UseCertificateForOnPremAuth')) {
      changes.push(`remove ${have.key}\\${have.valueName} = ${formatValue(have)}: certificate trust takes precedence over cloud trust`);
      toRemove.push(have);
    } else if (managed && !wanted) {
      changes.push(`remove ${have.key}\\${have.valueName} = ${formatValue(have)}: not part of the desired policy`);
      toRemove.push(have);
    } else if (!managed) {
      warnings.push(`GPO '${p.GpoName}' also carries ${have.key}\\${have.valueName} = ${formatValue(have)}; left as it is`);
    }
  }
  if (gpo && gpo.status !== 'AllSettingsEnabled' && gpo.status !== 'UserSettingsDisabled') {
    warnings.push(`GPO '${p.GpoName}' has status ${gpo.status}: its computer settings do not apply`);
  }
  return {
    before: policyState(gpo),
    changes,
    warnings,
    apply() {
      const target = gpo ?? newGpo(domain, p.GpoName);
      for (const want of toSet) setDword(target, want.key, want.valueName, want.value);
      for (const have of toRemove) removeValue(target, have.key, have.valueName);
      onApplied(target);
      return policyState(target);
    },
  };
}

/** Mirrors powershell/gpo/Set-GpoPassportPolicy.ps1. */
export const ensurePolicy: StepHandler = async (args, context) => {
  const p = bindParameters('gpo.ensure-policy', parameters, args);
  const desired = desiredValues(p);
  return settle(context, p.PlanOnly, (estate) => {
    const { domain } = findDomain(estate, p.Domain);
    return evaluatePolicy(domain, p, desired, (gpo) => recordMutation(estate, `gpo:${domain.dnsName}:${gpo.displayName}`));
  });
};
