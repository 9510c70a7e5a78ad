import { badRequest } from './errors';
import type { Json } from './odata';

/**
 * The settings-catalog definitions the lab knows (beta deviceManagement/configurationSettings): the PassportForWork
 * group collection `device_vendor_msft_passportforwork_{tenantid}` — the literal `{tenantid}` is part of the id —
 * and its choice children, each with its `_true` / `_false` options (settings catalog "Windows Hello for
 * Business" category; ids as the deploy guide's Intune tab and public definition dumps show them). The service
 * validates a posted policy against the definitions: an id it does not know, an instance of the wrong kind, a child
 * outside its group or a choice value that is not one of the definition's options is a 400 (the status is the
 * service's; the message texts are inferred, not reproduced).
 */

const GROUP_TYPE = '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance';
const CHOICE_TYPE = '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance';
const SETTING_TYPE = '#microsoft.graph.deviceManagementConfigurationSetting';

type Definition = { kind: 'group'; children: string[] } | { kind: 'choice'; options: string[]; parent: string };

const PASSPORT = 'device_vendor_msft_passportforwork_{tenantid}';
const PASSPORT_CHOICES = ['usepassportforwork', 'usecloudtrustforonpremauth', 'requiresecuritydevice', 'usecertificateforonpremauth'].map((name) => `${PASSPORT}_policies_${name}`);

export const SETTING_DEFINITIONS: Record<string, Definition> = {
  [PASSPORT]: { kind: 'group', children: PASSPORT_CHOICES },
  ...Object.fromEntries(PASSPORT_CHOICES.map((id) => [id, { kind: 'choice', options: [`${id}_true`, `${id}_false`], parent: PASSPORT } satisfies Definition])),
};

const invalid = (message: string) => badRequest('BadRequest', message);
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function validateInstance(instance: unknown, parent: string | undefined): void {
  if (!isObject(instance)) throw invalid('Property settingInstance in payload has a value that does not match schema.');
  const id = instance.settingDefinitionId;
  if (typeof id !== 'string' || id.length === 0) throw invalid('Property settingDefinitionId in payload has a value that does not match schema.');
  const definition = SETTING_DEFINITIONS[id];
  if (!definition) throw invalid(`Setting definition '${id}' was not found.`);
  const type = instance['@odata.type'];
  if (definition.kind === 'group') {
    if (type !== GROUP_TYPE) throw invalid(`Setting '${id}' is a group setting collection; the instance is a ${String(type)}.`);
    if (parent !== undefined) throw invalid(`Setting '${id}' cannot be a child of '${parent}'.`);
    const values = instance.groupSettingCollectionValue;
    if (!Array.isArray(values) || values.length === 0) throw invalid(`Setting '${id}': groupSettingCollectionValue must have at least one value.`);
    for (const value of values) {
      if (!isObject(value) || !Array.isArray(value.children)) throw invalid('Property groupSettingCollectionValue in payload has a value that does not match schema.');
      const seen = new Set<string>();
      for (const child of value.children) {
        validateInstance(child, id);
        const childId = (child as Json).settingDefinitionId as string;
        if (!definition.children.includes(childId)) throw invalid(`Setting '${childId}' cannot be a child of '${id}'.`);
        if (seen.has(childId)) throw invalid(`Setting '${childId}' appears more than once in one instance of '${id}'.`);
        seen.add(childId);
      }
    }
    return;
  }
  if (type !== CHOICE_TYPE) throw invalid(`Setting '${id}' is a choice setting; the instance is a ${String(type)}.`);
  if (parent !== definition.parent) throw invalid(`Setting '${id}' must be a child of '${definition.parent}'.`);
  const choice = instance.choiceSettingValue;
  if (!isObject(choice) || typeof choice.value !== 'string') throw invalid('Property choiceSettingValue in payload has a value that does not match schema.');
  if (!definition.options.includes(choice.value)) throw invalid(`Invalid value '${choice.value}' for setting '${id}': not one of its options.`);
  if (choice.children !== undefined && (!Array.isArray(choice.children) || choice.children.length > 0)) throw invalid(`Setting '${id}': option '${choice.value}' has no child settings.`);
}

/** The `settings` of a POST or PUT body: each a deviceManagementConfigurationSetting with a valid settingInstance. */
export function validateSettings(settings: unknown): Json[] {
  if (!Array.isArray(settings) || settings.length === 0) throw invalid('Property settings in payload has a value that does not match schema.');
  const roots = new Set<string>();
  for (const setting of settings) {
    if (!isObject(setting)) throw invalid('Property settings in payload has a value that does not match schema.');
    if (setting['@odata.type'] !== undefined && setting['@odata.type'] !== SETTING_TYPE) throw invalid('Property settings in payload has a value that does not match schema.');
    validateInstance(setting.settingInstance, undefined);
    const root = (setting.settingInstance as Json).settingDefinitionId as string;
    if (roots.has(root)) throw invalid(`Setting '${root}' appears more than once in the policy.`);
    roots.add(root);
  }
  return settings as Json[];
}
