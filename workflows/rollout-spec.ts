import { ApplicationFailure } from '@temporalio/workflow';
import type { DomainSpec, RolloutSpec } from '../model/spec';

/** The spec of a domain a ring names (the spec's validation guarantees it exists). */
export function domainSpec(spec: RolloutSpec, name: string): DomainSpec {
  const found = spec.domains.find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!found) throw ApplicationFailure.nonRetryable(`domain ${name} is not declared in the spec`, 'InvalidSpec');
  return found;
}
