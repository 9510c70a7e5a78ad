import { z } from 'zod';

/** A PSCredential as the dispatcher receives it (see ConvertTo-CloudtrustArgument). */
export const labCredential = z.object({ __pscredential: z.object({ userName: z.string(), password: z.string() }) });
export type LabCredential = z.infer<typeof labCredential>;
