export { preflightDomain } from './preflight';
