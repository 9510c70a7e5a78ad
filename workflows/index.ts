export { preflightDomain } from './preflight';
export { rollout } from './rollout';
export { domainRollout } from './domain';
