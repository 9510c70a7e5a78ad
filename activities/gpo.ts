import type { ActivityDependencies } from './dependencies';
import { stepActivity } from './step-activity';
import { gpoEnsureFilteringStep, gpoEnsureLinksStep, gpoEnsurePolicyStep, gpoRollbackStep, gpoScanPassportStep } from './steps/gpo';

/**
 * Activities of the Group Policy channel. The GroupPolicy cmdlets take no credential: they run as the worker's own
 * logon, which needs the rights to create and edit GPOs, link them to the targets and change their permissions.
 */
export function createGpoActivities(deps: ActivityDependencies) {
  return {
    gpoScanPassport: stepActivity(deps, gpoScanPassportStep),
    gpoEnsurePolicy: stepActivity(deps, gpoEnsurePolicyStep),
    gpoEnsureLinks: stepActivity(deps, gpoEnsureLinksStep),
    gpoEnsureFiltering: stepActivity(deps, gpoEnsureFilteringStep),
    gpoRollbackPolicy: stepActivity(deps, gpoRollbackStep),
  };
}
