import type { LabEstate } from '../../../estate/schema';
import { intuneNotFound } from './errors';
import { query, select, type CollectionQuery, type CollectionRules, type Json } from './odata';
import { requireIntune, sameId, type GraphRequest } from './request';

/**
 * deviceManagement/deviceEnrollmentConfigurations: the tenant-wide Windows Hello for Business configuration
 * (deviceEnrollmentWindowsHelloForBusinessConfiguration, v1.0 resource page), id '<tenant>_DefaultWindowsHelloForBusiness',
 * 'All users and all devices', priority 0. The tenant's other default enrollment configurations are not modelled.
 */

const READ = ['DeviceManagementServiceConfig.Read.All', 'DeviceManagementServiceConfig.ReadWrite.All', 'DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'];

const RULES: CollectionRules = {
  typeName: 'microsoft.graph.deviceEnrollmentConfiguration',
  errorCode: 'BadRequest',
  skipSupported: true,
  members: ['id', 'displayName', 'description', 'priority', 'createdDateTime', 'lastModifiedDateTime', 'version', 'assignments'],
};

function helloForBusinessJson(estate: LabEstate): Json {
  const hello = estate.tenant.helloForBusinessEnrollment;
  return {
    '@odata.type': '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration',
    id: `${estate.tenant.id.toLowerCase()}_DefaultWindowsHelloForBusiness`,
    displayName: 'All users and all devices',
    description: 'This is the default Windows Hello for Business configuration applied with the lowest priority to all users regardless of group membership.',
    priority: 0,
    createdDateTime: '2019-03-01T10:00:00Z',
    lastModifiedDateTime: '2019-03-01T10:00:00Z',
    version: 1,
    pinMinimumLength: hello.pinMinimumLength,
    pinMaximumLength: hello.pinMaximumLength,
    pinUppercaseCharactersUsage: 'disallowed',
    pinLowercaseCharactersUsage: 'disallowed',
    pinSpecialCharactersUsage: 'disallowed',
    state: hello.state,
    securityDeviceRequired: hello.securityDeviceRequired,
    unlockWithBiometricsEnabled: true,
    remotePassportEnabled: false,
    pinPreviousBlockCount: 0,
    pinExpirationInDays: 0,
    enhancedBiometricsState: 'notConfigured',
  };
}

export async function listEnrollmentConfigurations(request: GraphRequest, q: CollectionQuery): Promise<Json[]> {
  const estate = await request.lab.read();
  requireIntune(request, estate, READ);
  return query([helloForBusinessJson(estate)], q, RULES).map((c) => select(c, q.select, RULES));
}

export async function getEnrollmentConfiguration(request: GraphRequest, id: string, selected?: string[]): Promise<Json> {
  const estate = await request.lab.read();
  requireIntune(request, estate, READ);
  const configuration = helloForBusinessJson(estate);
  if (!sameId(String(configuration.id), id)) throw intuneNotFound(request.url);
  return select(configuration, selected, RULES);
}
