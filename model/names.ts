import { z } from 'zod';

/** An Active Directory DNS domain name such as corp.contoso.com (same rule as the scripts' ValidatePattern). */
export const dnsNameSchema = z
  .string()
  .regex(/^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, 'must be a DNS domain name such as corp.contoso.com');
