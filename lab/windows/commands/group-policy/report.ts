import type { LabDomain, LabGpo } from '../../../estate/schema';
import { failWith, writeErrorWith } from '../active-directory/errors';
import type { CommandContext, CommandSimulation } from '../types';
import { gpConnect } from './connection';
import { findGpo } from './gpo';
import { parseKey } from './registry';

/**
 * Get-GPOReport -ReportType Xml: the GPMC settings report of one GPO (-Guid, -Name) or of every GPO of the domain
 * (-All, one document with a `report` root), as one string (catalog note: element names, what is inferred).
 * Registry values that Passport.admx describes are shown as q1:Policy with their display name and category, as
 * a reporting host with the ADMX files shows them; every other value as q1:RegistrySetting with its key path.
 */

const SETTINGS = 'http://www.microsoft.com/GroupPolicy/Settings';
const TYPES = 'http://www.microsoft.com/GroupPolicy/Types';
const REGISTRY = 'http://www.microsoft.com/GroupPolicy/Settings/Registry';
const NAMESPACES = `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${SETTINGS}"`;

const WHFB = 'Windows Components/Windows Hello for Business';
const PIN = 'System/PIN Complexity';
/** Values of Passport.admx (under PassportForWork or its PINComplexity subkey) -> policy display name; `both` also in user scope. */
const ADMX: Record<string, { name: string; category: string; both?: true }> = {
  'passportforwork\\enabled': { name: 'Use Windows Hello for Business', category: WHFB, both: true },
  'passportforwork\\usecloudtrustforonpremauth': { name: 'Use cloud Kerberos trust for on-premises authentication', category: WHFB },
  'passportforwork\\usecertificateforonpremauth': { name: 'Use certificate for on-premises authentication', category: WHFB, both: true },
  'passportforwork\\requiresecuritydevice': { name: 'Use a hardware security device', category: WHFB },
  'passportforwork\\pincomplexity\\minimumpinlength': { name: 'Minimum PIN length', category: PIN },
  'passportforwork\\pincomplexity\\maximumpinlength': { name: 'Maximum PIN length', category: PIN },
  'passportforwork\\pincomplexity\\digits': { name: 'Require digits', category: PIN },
  'passportforwork\\pincomplexity\\lowercaseletters': { name: 'Require lowercase letters', category: PIN },
  'passportforwork\\pincomplexity\\uppercaseletters': { name: 'Require uppercase letters', category: PIN },
  'passportforwork\\pincomplexity\\specialcharacters': { name: 'Require special characters', category: PIN },
  'passportforwork\\pincomplexity\\history': { name: 'History', category: PIN },
  'passportforwork\\pincomplexity\\expiration': { name: 'Expiration', category: PIN },
};
const POLICY_ROOT = 'software\\policies\\microsoft\\';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const element = (name: string, content: string) => `<${name}>${content}</${name}>`;
const time = (iso: string) => iso.replace(/\.\d+Z$|Z$/, '');

type Setting = LabGpo['registryValues'][number];

function registrySetting(setting: Setting, path: string, hive: 'LocalMachine' | 'CurrentUser'): string {
  const admx = setting.policyState !== 'Delete' && path.toLowerCase().startsWith(POLICY_ROOT) ? ADMX[`${path.slice(POLICY_ROOT.length)}\\${setting.valueName}`.toLowerCase()] : undefined;
  if (admx && (hive === 'LocalMachine' || admx.both) && (setting.type === 'DWord' || setting.type === 'QWord')) {
    // Use Windows Hello for Business and the other boolean policies show Disabled for 0; numeric ones are Enabled with the number.
    const state = admx.category === WHFB && Number(setting.value) === 0 ? 'Disabled' : 'Enabled';
    return element('q1:Policy', element('q1:Name', escape(admx.name)) + element('q1:State', state) + element('q1:Category', escape(admx.category)));
  }
  const data = setting.policyState === 'Delete' ? '' : setting.type === 'DWord' || setting.type === 'QWord' ? element('q1:Number', String(setting.value)) : element('q1:String', escape(String(setting.value)));
  return element('q1:RegistrySetting', element('q1:KeyPath', escape(path)) + element('q1:AdmSetting', 'false') + element('q1:Value', element('q1:Name', escape(setting.valueName)) + data));
}

function half(gpo: LabGpo, hive: 'LocalMachine' | 'CurrentUser', version: number, enabled: boolean): string {
  const settings = gpo.registryValues.flatMap((setting) => {
    const key = parseKey(setting.key);
    return key?.hive === hive ? [registrySetting(setting, key.path, hive)] : [];
  });
  const extension = settings.length === 0 ? '' : element('ExtensionData', `<Extension xmlns:q1="${REGISTRY}" xsi:type="q1:RegistrySettings">${settings.join('')}</Extension>${element('Name', 'Registry')}`);
  return element('VersionDirectory', String(version)) + element('VersionSysvol', String(version)) + element('Enabled', String(enabled)) + extension;
}

/** SOMPath as GPMC writes it: the domain's DNS name, then the OUs from the top down. */
function somPath(domain: LabDomain, target: string): string {
  const ous = target.split(/,(?=\s*(?:OU|DC)=)/i).filter((part) => /^\s*OU=/i.test(part)).map((part) => part.replace(/^\s*OU=/i, ''));
  return [domain.dnsName, ...ous.reverse()].join('/');
}

function gpoReport(lab: CommandContext, domain: LabDomain, gpo: LabGpo, namespaces: string): string {
  const computerOff = gpo.status === 'ComputerSettingsDisabled' || gpo.status === 'AllSettingsDisabled';
  const userOff = gpo.status === 'UserSettingsDisabled' || gpo.status === 'AllSettingsDisabled';
  const created = gpo.createdOn ?? '2019-05-14T09:00:00.000Z';
  const links = gpo.links.map((link) => {
    const som = somPath(domain, link.target);
    return element('LinksTo', element('SOMName', escape(som.slice(som.lastIndexOf('/') + 1))) + element('SOMPath', escape(som)) + element('Enabled', String(link.enabled)) + element('NoOverride', String(link.enforced)));
  });
  return (
    `<GPO${namespaces ? ` ${namespaces}` : ''}>` +
    element('Identifier', `<Identifier xmlns="${TYPES}">{${gpo.id.toUpperCase()}}</Identifier><Domain xmlns="${TYPES}">${escape(domain.dnsName)}</Domain>`) +
    element('Name', escape(gpo.displayName)) +
    element('IncludeComments', 'true') +
    element('CreatedTime', time(created)) +
    element('ModifiedTime', time(gpo.modifiedOn ?? created)) +
    element('ReadTime', time(lab.now().toISOString())) +
    element('FilterDataAvailable', 'true') +
    element('Computer', half(gpo, 'LocalMachine', gpo.computerVersion ?? 0, !computerOff)) +
    element('User', half(gpo, 'CurrentUser', gpo.userVersion ?? 0, !userOff)) +
    links.join('') +
    '</GPO>'
  );
}

export const getGpoReport: CommandSimulation = async (call, lab) => {
  if (call.get<string>('ReportType') !== 'Xml') throw new Error('Get-GPOReport: the lab writes Xml reports only');
  if (call.get<string>('Path') !== undefined) throw new Error('Get-GPOReport: -Path (writing the report to a file) is not modelled by the lab');
  const connection = gpConnect(call, lab, await lab.read());
  const declaration = '<?xml version="1.0" encoding="utf-16"?>\r\n';
  if (call.parameterSet !== 'ReportAll') {
    const gpo = findGpo(call, lab, connection.domain);
    if (gpo.sysvolAccessDenied) failWith(call, lab, 'GPAccessDenied');
    return [declaration + gpoReport(lab, connection.domain, gpo, NAMESPACES)];
  }
  const reports: string[] = [];
  for (const gpo of connection.domain.gpos) {
    if (gpo.sysvolAccessDenied) writeErrorWith(call, lab, 'GPAccessDenied');
    else reports.push(gpoReport(lab, connection.domain, gpo, ''));
  }
  return [`${declaration}<report ${NAMESPACES}>${reports.join('')}</report>`];
};
