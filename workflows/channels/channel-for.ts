import { intuneDeliveryOf } from '../../model/intune-delivery';
import type { DomainSpec } from '../../model/spec';
import type { PolicyChannel } from './channel';
import { gpoChannel } from './gpo';
import { intuneCatalogChannel } from './intune-catalog';
import { intuneProfileChannel } from './intune-profile';

/** The domain's policy channel: its GPO, or its Intune policy as the block's delivery says. */
export function channelFor(domain: DomainSpec): PolicyChannel {
  if (domain.channel === 'gpo') return gpoChannel(domain);
  return intuneDeliveryOf(domain.intune) === 'settings-catalog' ? intuneCatalogChannel(domain) : intuneProfileChannel(domain);
}
