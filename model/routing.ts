import type { RolloutSpec } from './spec';

/** The task queue that runs a domain's steps: by domain, else by forest root (longest match), else the default. */
export function taskQueueFor(spec: Pick<RolloutSpec, 'routing'>, domain: string, fallback: string): string {
  const name = domain.toLowerCase();
  const byDomain = Object.entries(spec.routing.domains).find(([d]) => d.toLowerCase() === name);
  if (byDomain) return byDomain[1];
  const forest = Object.entries(spec.routing.forests)
    .filter(([root]) => name === root.toLowerCase() || name.endsWith(`.${root.toLowerCase()}`))
    .sort(([a], [b]) => b.length - a.length)[0];
  return forest?.[1] ?? spec.routing.default ?? fallback;
}
