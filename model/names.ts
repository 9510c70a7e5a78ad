import { z } from 'zod';

/** An Active Directory DNS domain name such as corp.contoso.com (the scripts' ValidatePattern is the same). */
export const DNS_NAME_PATTERN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** A computer name or FQDN. */
export const HOST_NAME_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const dnsNameSchema = z.string().regex(DNS_NAME_PATTERN, 'must be a DNS domain name such as corp.contoso.com');
