import { z } from 'zod';

/** An Active Directory DNS domain name such as corp.contoso.com (the scripts' ValidatePattern is the same). */
export const DNS_NAME_PATTERN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** A computer name or FQDN. */
export const HOST_NAME_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Lower-case letters, digits and dashes: spec, schedule and hook names, which become parts of workflow and schedule ids. */
export const ID_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const dnsNameSchema = z.string().regex(DNS_NAME_PATTERN, 'must be a DNS domain name such as corp.contoso.com');
