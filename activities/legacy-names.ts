import { LEGACY_ACTIVITY_NAMES, type LegacyActivityName } from '../model/activity-names';

type LegacyAliases<A> = { [K in LegacyActivityName]: A[(typeof LEGACY_ACTIVITY_NAMES)[K] & keyof A] };

/** The same functions under their names from before one name per step, for runs whose histories schedule those. */
export function legacyAliases<A extends Record<(typeof LEGACY_ACTIVITY_NAMES)[LegacyActivityName], unknown>>(activities: A): LegacyAliases<A> {
  const aliases = {} as Record<string, unknown>;
  for (const [old, current] of Object.entries(LEGACY_ACTIVITY_NAMES)) aliases[old] = activities[current];
  return aliases as LegacyAliases<A>;
}
