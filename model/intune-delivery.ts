/** The Intune channel's two ways to deliver the policy. */
export const INTUNE_DELIVERIES = ['settings-catalog', 'custom-profile'] as const;
export type IntuneDelivery = (typeof INTUNE_DELIVERIES)[number];

/**
 * The delivery of a domain's Intune block. Every spec parsed now carries it (default settings-catalog); a workflow
 * input without it was recorded, or stored in a schedule, before the field existed, when the custom OMA-URI profile
 * was the only delivery — so it stays that, and old histories replay the commands they recorded.
 */
export function intuneDeliveryOf(intune: { delivery?: IntuneDelivery } | undefined): IntuneDelivery {
  return intune?.delivery ?? 'custom-profile';
}

/** The settings-catalog ids of the PassportForWork policies (the literal `{tenantid}` is part of each id). */
export const PASSPORT_GROUP = 'device_vendor_msft_passportforwork_{tenantid}';
export const catalogSetting = (name: 'usepassportforwork' | 'usecloudtrustforonpremauth' | 'requiresecuritydevice') => `${PASSPORT_GROUP}_policies_${name}`;
