const CHARACTER_RULE = { allow: 0, require: 1, disallow: 2 } as const;

/** A PIN character rule of the spec as both channels' settings number it. */
export const characterRule = (value?: keyof typeof CHARACTER_RULE) => (value === undefined ? undefined : CHARACTER_RULE[value]);
