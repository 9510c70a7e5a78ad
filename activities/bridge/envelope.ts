import { z } from 'zod';

export const psErrorSchema = z.object({
  message: z.string(),
  fullyQualifiedErrorId: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  targetObject: z.string().nullable().optional(),
  scriptStackTrace: z.string().nullable().optional(),
  exceptionType: z.string().nullable().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
});
export type PsError = z.infer<typeof psErrorSchema>;

/** What every host call answers with (see powershell/host/Cloudtrust.Host.ps1). */
export const envelopeSchema = z.object({
  ok: z.boolean(),
  changed: z.boolean(),
  result: z.unknown(),
  warnings: z.array(z.string()),
  errors: z.array(psErrorSchema),
});
export type Envelope = z.infer<typeof envelopeSchema>;
