import { z } from 'zod';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';
import { labCredential as credential } from './credential';


const echoParameters = z.object({
  Text: z.string(),
  Items: z.array(z.string()).default([]),
  Credential: credential.optional(),
});

/** Mirrors powershell/diagnostics/Invoke-Echo.ps1. */
export const echo: StepHandler = async (args) => {
  const p = bindParameters('diagnostics.echo', echoParameters, args);
  return {
    changed: false,
    result: { text: p.Text, length: p.Text.length, items: p.Items, credentialUser: p.Credential?.__pscredential.userName ?? null },
  };
};
