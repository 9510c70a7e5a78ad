import { z } from 'zod';

/** A credential as data: resolved from a secret reference inside the activity, never part of workflow history. */
export const credentialSchema = z.object({
  userName: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});
export type Credential = z.infer<typeof credentialSchema>;
