import { z } from 'zod';
import { defineStep } from './contract';
import { credentialSchema } from './credential';

/** Returns its input as the script received it: proves values cross the bridge as inert data. */
export const echoStep = defineStep({
  id: 'diagnostics.check-echo',
  script: 'diagnostics/check-echo.ps1',
  description: 'Echo arguments back (bridge self-test)',
  input: z.object({
    text: z.string().max(1_000_000),
    items: z.array(z.string()).optional(),
    credential: credentialSchema.optional(),
  }),
  output: z.object({
    text: z.string(),
    length: z.number().int(),
    items: z.array(z.string()),
    credentialUser: z.string().nullable(),
  }),
  credentialFields: ['credential'],
  timeoutMs: 30_000,
});
